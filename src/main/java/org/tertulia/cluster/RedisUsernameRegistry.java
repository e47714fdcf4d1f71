package org.tertulia.cluster;

import org.tertulia.room.UsernameRegistry;

/** Names held in Redis, claimed atomically by a Lua script, so they are unique across every node. */
final class RedisUsernameRegistry implements UsernameRegistry {

    private final ClusterNode node;

    RedisUsernameRegistry(ClusterNode node) {
        this.node = node;
    }

    @Override
    public String claim(long id, String wanted) {
        return node.claim(id, wanted);
    }

    /** Never fails: if Redis is away the release is retried by the heartbeat. */
    @Override
    public void release(long id) {
        node.release(id);
    }

    @Override
    public boolean isTaken(String name) {
        return node.isTaken(name);
    }
}
