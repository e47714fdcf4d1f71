package org.tertulia.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.tertulia.room.RoomUnavailableException;
import org.tertulia.room.UsernameRegistry;

/**
 * Names held in Redis, claimed atomically by {@code claim.lua}, so they are unique across
 * every node. Remembers which names this node's users hold, so they can be claimed again
 * after Redis lost them.
 */
final class RedisNames implements UsernameRegistry {

    /** What a re-claim after a loss found. */
    enum Reclaim { GONE, HELD, TAKEN }

    private static final int FIRST_CANDIDATES = 16;
    private static final int MORE_CANDIDATES = 64;
    private static final int MAX_SUFFIX = 100_000;

    private final ClusterScripts redis;
    private final int maxNameLength;
    // Claims and releases of this node go one at a time, so a repair never re-claims a name
    // that its user is releasing at the same moment.
    private final ReentrantLock claims = new ReentrantLock();
    private final Map<Long, String> local = new LinkedHashMap<>(); // guarded by claims
    private final Set<Long> pendingReleases = ConcurrentHashMap.newKeySet();

    RedisNames(ClusterScripts redis, int maxNameLength) {
        this.redis = redis;
        this.maxNameLength = maxNameLength;
    }

    @Override
    public String claim(long id, String wanted) {
        claims.lock();
        try {
            int suffix = 2;
            List<String> candidates = new ArrayList<>();
            candidates.add(wanted);
            int batch = FIRST_CANDIDATES;
            while (true) {
                while (candidates.size() < batch && suffix <= MAX_SUFFIX) {
                    candidates.add(UsernameRegistry.withSuffix(wanted, suffix++, maxNameLength));
                }
                String reply = redis.claim(id, false, candidates);
                if (ClusterScripts.SETTLING.equals(reply)) {
                    throw new RoomUnavailableException("the cluster is settling after a Redis restart", null);
                }
                if (reply != null && !reply.startsWith(ClusterScripts.REFUSED)) {
                    local.remove(id);
                    local.put(id, reply);
                    return reply;
                }
                if (suffix > MAX_SUFFIX) {
                    throw new RoomUnavailableException("no free variant of " + wanted, null);
                }
                candidates.clear();
                batch = MORE_CANDIDATES;
            }
        } finally {
            claims.unlock();
        }
    }

    /** Never fails: if Redis is away the release is retried ({@link #retryReleases}); meanwhile the name stays taken. */
    @Override
    public void release(long id) {
        claims.lock();
        try {
            local.remove(id);
            redis.release(id);
            pendingReleases.remove(id);
        } catch (RoomUnavailableException e) {
            pendingReleases.add(id);
        } finally {
            claims.unlock();
        }
    }

    @Override
    public boolean isTaken(String name) {
        return redis.isTaken(name);
    }

    @Override
    public int held() {
        claims.lock();
        try {
            return local.size();
        } finally {
            claims.unlock();
        }
    }

    /** Releases that failed, tried again. */
    void retryReleases() {
        for (Long id : List.copyOf(pendingReleases)) {
            release(id);
        }
    }

    /** The names this node's users hold, by id. */
    Map<Long, String> local() {
        claims.lock();
        try {
            return Map.copyOf(local);
        } finally {
            claims.unlock();
        }
    }

    /** The name local user {@code id} holds, or null. */
    String localName(long id) {
        claims.lock();
        try {
            return local.get(id);
        } finally {
            claims.unlock();
        }
    }

    /**
     * Claims {@code name} again for local user {@code id} after Redis lost it: GONE when the
     * user left or renamed meanwhile, TAKEN when someone else holds the name now.
     */
    Reclaim reclaim(long id, String name) {
        claims.lock();
        try {
            if (!name.equals(local.get(id))) {
                return Reclaim.GONE;
            }
            return name.equals(redis.claim(id, true, List.of(name))) ? Reclaim.HELD : Reclaim.TAKEN;
        } finally {
            claims.unlock();
        }
    }
}
