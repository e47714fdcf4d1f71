package org.tertulia.cluster;

import org.tertulia.room.ConnectionIds;

/** Connection ids from one counter in Redis, so they are unique across nodes; never below an id this node has seen. */
final class RedisIds implements ConnectionIds {

    private final ClusterScripts redis;
    private final AppliedRoster roster;

    RedisIds(ClusterScripts redis, AppliedRoster roster) {
        this.redis = redis;
        this.roster = roster;
    }

    @Override
    public long next() {
        long id = redis.nextId(roster.highestId());
        roster.seen(id);
        return id;
    }
}
