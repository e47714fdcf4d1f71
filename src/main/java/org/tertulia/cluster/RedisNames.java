package org.tertulia.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.tertulia.room.RoomUnavailableException;
import org.tertulia.room.UsernameRegistry;

/**
 * Names and sessions held in Redis, claimed atomically by {@code claim.lua}, so they are
 * unique across every node. Remembers what this node's users hold (name, connection, token
 * hash), so it can be claimed again after Redis lost it.
 */
final class RedisNames implements UsernameRegistry {

    /** What a local user holds. */
    record Held(String name, long connection, String tokenHash) {
    }

    /** What a re-claim after a loss found. */
    enum Reclaim { GONE, HELD, TAKEN }

    /** A session end that could not reach Redis, to try again. */
    private record End(Long connection, boolean keep) {
    }

    private static final int FIRST_CANDIDATES = 16;
    private static final int MORE_CANDIDATES = 64;
    private static final int MAX_SUFFIX = 100_000;

    private final ClusterScripts redis;
    private final int maxNameLength;
    // Claims and releases of this node go one at a time, so a repair never re-claims a name
    // that its user is releasing at the same moment.
    private final ReentrantLock claims = new ReentrantLock();
    private final Map<Long, Held> local = new LinkedHashMap<>(); // guarded by claims
    private final Map<Long, End> pendingEnds = new ConcurrentHashMap<>();

    RedisNames(ClusterScripts redis, int maxNameLength) {
        this.redis = redis;
        this.maxNameLength = maxNameLength;
    }

    @Override
    public String claim(long id, long connection, String wanted, String tokenHash) {
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
                String reply = redis.claim(id, connection, false, tokenHash, candidates);
                if (ClusterScripts.SETTLING.equals(reply)) {
                    throw new RoomUnavailableException("the cluster is settling after a Redis restart", null);
                }
                if (reply != null && !reply.startsWith(ClusterScripts.REFUSED)) {
                    Held before = local.remove(id);
                    local.put(id, new Held(reply, connection,
                            tokenHash != null || before == null ? tokenHash : before.tokenHash()));
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

    /** Never fails: if Redis is away the release is retried ({@link #retryEnds}); meanwhile the name stays taken. */
    @Override
    public void release(long id) {
        finish(id, null, false);
    }

    /** If Redis is away, ends the session later ({@link #retryEnds}) and answers true: the room is told now. */
    @Override
    public boolean end(long id, long connection, boolean keep) {
        return finish(id, connection, keep);
    }

    private boolean finish(long id, Long connection, boolean keep) {
        claims.lock();
        try {
            Held held = local.get(id);
            if (connection != null && held != null && held.connection() != connection) {
                return false; // the session went on over another connection of this node
            }
            local.remove(id);
            boolean ended = redis.end(id, connection, keep);
            pendingEnds.remove(id);
            return ended;
        } catch (RoomUnavailableException e) {
            pendingEnds.put(id, new End(connection, keep));
            return true;
        } finally {
            claims.unlock();
        }
    }

    @Override
    public Session resume(String tokenHash, String name, long connection) {
        claims.lock();
        try {
            Session session = redis.resume(tokenHash, name, connection);
            if (session != null) {
                local.put(session.id(), new Held(session.name(), connection, tokenHash));
            }
            return session;
        } finally {
            claims.unlock();
        }
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

    /** Session ends that failed, tried again. */
    void retryEnds() {
        for (Map.Entry<Long, End> pending : Map.copyOf(pendingEnds).entrySet()) {
            finish(pending.getKey(), pending.getValue().connection(), pending.getValue().keep());
        }
    }

    /** What this node's users hold, by session id. */
    Map<Long, Held> local() {
        claims.lock();
        try {
            return Map.copyOf(local);
        } finally {
            claims.unlock();
        }
    }

    /** What local user {@code id} holds, or null. */
    Held localHeld(long id) {
        claims.lock();
        try {
            return local.get(id);
        } finally {
            claims.unlock();
        }
    }

    /**
     * Claims {@code held} again for local user {@code id} after Redis lost it, session and
     * all: GONE when the user left or renamed meanwhile, TAKEN when someone else holds the
     * name now.
     */
    Reclaim reclaim(long id, Held held) {
        claims.lock();
        try {
            if (!held.equals(local.get(id))) {
                return Reclaim.GONE;
            }
            String given = redis.claim(id, held.connection(), true, held.tokenHash(), List.of(held.name()));
            return held.name().equals(given) ? Reclaim.HELD : Reclaim.TAKEN;
        } finally {
            claims.unlock();
        }
    }
}
