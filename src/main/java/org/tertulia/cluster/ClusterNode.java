package org.tertulia.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.tertulia.room.RoomEvent;
import org.tertulia.room.RoomUnavailableException;
import org.tertulia.room.UsernameRegistry;

/**
 * This node's part in the shared room: its registration and heartbeat, the users it hosts,
 * every change it makes in Redis, the reaping of dead nodes and the repair after Redis lost
 * its data or this node was presumed dead.
 */
final class ClusterNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    private static final int FIRST_CANDIDATES = 16;
    private static final int MORE_CANDIDATES = 64;
    private static final int MAX_SUFFIX = 100_000;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final String nodeId = UUID.randomUUID().toString().substring(0, 8);
    private final Duration ttl;
    private final int streamLength;
    private final int historySize;
    private final int maxNameLength;
    private final ScheduledExecutorService timer;

    // Claims and releases of this node go one at a time, so a repair never re-claims a name
    // that its user is releasing at the same moment.
    private final ReentrantLock claims = new ReentrantLock();
    private final Map<Long, String> local = new LinkedHashMap<>(); // guarded by claims

    // The roster as applied from the stream: id to the order of its first Joined (a stream id).
    // For the ghost sweep, and for re-asserting users in their old places.
    private final Map<Long, String> roster = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<Long> pendingReleases = ConcurrentHashMap.newKeySet();
    private final Set<Long> pendingLefts = ConcurrentHashMap.newKeySet();
    private final Set<Long> pendingAsserts = ConcurrentHashMap.newKeySet();
    private final AtomicLong highestId = new AtomicLong();
    private volatile long lastLossNanos = System.nanoTime();
    private volatile boolean active;
    private boolean closed; // guarded by this
    private volatile boolean healthy = true;
    private long ticks;

    ClusterNode(StringRedisTemplate redis, RedisKeys keys, Duration ttl, int streamLength, int historySize,
            int maxNameLength) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
        this.streamLength = streamLength;
        this.historySize = historySize;
        this.maxNameLength = maxNameLength;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    String id() {
        return nodeId;
    }

    Duration ttl() {
        return ttl;
    }

    private long beatMillis() {
        return Math.max(ttl.toMillis() / 3, 50);
    }

    private long settleMillis() {
        return Math.max(ttl.toMillis() / 2, 100);
    }

    // ---- registration, heartbeat and repair

    /** Registers this node; called once Redis answers, before this node claims anything. */
    void register() {
        redis.execute(Scripts.HEARTBEAT, List.of(keys.node(nodeId), keys.nodes(), keys.epoch(), keys.settling()),
                nodeId, Long.toString(ttl.toMillis()), "fresh", Long.toString(settleMillis()));
    }

    /** Starts the heartbeat; from now on the node keeps itself registered and repairs what it hosts. */
    void activate() {
        active = true;
        timer.scheduleWithFixedDelay(this::tick, beatMillis(), beatMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a heartbeat now, e.g. right after the stream reader got its connection back. */
    void checkSoon() {
        if (active) {
            timer.execute(this::tick);
        }
    }

    private void tick() {
        try {
            Long alive = redis.execute(Scripts.HEARTBEAT,
                    List.of(keys.node(nodeId), keys.nodes(), keys.epoch(), keys.settling()),
                    nodeId, Long.toString(ttl.toMillis()), "beat", Long.toString(settleMillis()));
            if (alive == null || alive == 0) {
                repair();
            }
            retryPending();
            Long reaped = redis.execute(Scripts.REAP, List.of(keys.nodes()), keys.prefix(),
                    Integer.toString(streamLength));
            if (reaped != null && reaped > 0) {
                log.info("reaped {} dead node(s): their users left the room", reaped);
            }
            if (++ticks % 3 == 0 && System.nanoTime() - lastLossNanos > ttl.toNanos()) {
                sweepGhosts();
            }
            if (!healthy) {
                log.info("Redis answers again");
                healthy = true;
            }
        } catch (RuntimeException e) {
            if (healthy) {
                log.warn("cluster heartbeat failed: {}", e.toString());
                healthy = false;
            }
        }
    }

    /**
     * This node's registration was gone: Redis lost its data (restart without persistence) or
     * the others presumed this node dead and reaped it. Registers again and re-asserts every
     * local user's name and place on the roster, so the room is whole again.
     */
    private void repair() {
        lastLossNanos = System.nanoTime();
        redis.execute(Scripts.HEARTBEAT, List.of(keys.node(nodeId), keys.nodes(), keys.epoch(), keys.settling()),
                nodeId, Long.toString(ttl.toMillis()), "repair", Long.toString(settleMillis()));
        redis.execute(Scripts.RAISE_IDS, List.of(keys.ids()), Long.toString(highestId.get()));
        List<Map.Entry<Long, String>> members;
        claims.lock();
        try {
            members = new ArrayList<>(local.entrySet());
        } finally {
            claims.unlock();
        }
        int lost = 0;
        for (Map.Entry<Long, String> member : members) {
            if (!reassert(member.getKey(), member.getValue())) {
                lost++;
            }
        }
        log.warn("this node's registration in Redis was gone (Redis restarted or this node was presumed dead): "
                + "re-asserted {} user(s){}", members.size() - lost,
                lost == 0 ? "" : "; " + lost + " name(s) were taken meanwhile by others");
    }

    /**
     * Claims {@code name} for local user {@code id} again and puts it back on the roster in its
     * old place, if Redis lacks either. False when someone else took the name meanwhile.
     */
    private boolean reassert(long id, String name) {
        String key = UsernameRegistry.key(name);
        claims.lock();
        try {
            if (!name.equals(local.get(id))) {
                return true; // left or renamed meanwhile: nothing to re-assert
            }
            String given = redis.execute(Scripts.CLAIM, claimKeys(), claimArgs(id, true, List.of(name)).toArray());
            if (!name.equals(given)) {
                return false;
            }
        } finally {
            claims.unlock();
        }
        String order = roster.get(id);
        appendOrdered("A", new RoomEvent.Joined(id, name, System.currentTimeMillis()), name, key,
                order == null ? "" : order);
        return true;
    }

    /** A Joined or Renamed of local user {@code id} that could not be appended; the heartbeat re-asserts it. */
    void assertPending(long id) {
        pendingAsserts.add(id);
    }

    private void retryPending() {
        for (Long id : List.copyOf(pendingAsserts)) {
            String name;
            claims.lock();
            try {
                name = local.get(id);
            } finally {
                claims.unlock();
            }
            if (name != null) {
                reassert(id, name);
            }
            pendingAsserts.remove(id);
        }
        for (Long id : List.copyOf(pendingReleases)) {
            release(id);
        }
        for (Long id : List.copyOf(pendingLefts)) {
            append("L", new RoomEvent.Left(id), null, null);
            pendingLefts.remove(id);
        }
    }

    /** Users on this node's roster whom Redis no longer knows (their node died while Redis was down). */
    private void sweepGhosts() {
        List<Long> known;
        synchronized (roster) {
            known = new ArrayList<>(roster.keySet());
        }
        if (known.isEmpty()) {
            return;
        }
        Set<Long> listed = new HashSet<>();
        for (Object id : redis.opsForHash().keys(keys.roster())) {
            listed.add(Long.parseLong(id.toString()));
        }
        for (Long id : known) {
            if (!listed.contains(id)) {
                append("G", new RoomEvent.Left(id), null, null);
            }
        }
    }

    /** Leaves the cluster: drops the heartbeat and reaps itself, so its users leave everyone's list now. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        active = false;
        timer.shutdownNow();
        try {
            redis.delete(keys.node(nodeId));
            redis.execute(Scripts.REAP, List.of(keys.nodes()), keys.prefix(), Integer.toString(streamLength));
        } catch (RuntimeException e) {
            log.info("could not deregister from Redis ({}); the others reap this node within {}", e.toString(), ttl);
        }
    }

    // ---- names

    String claim(long id, String wanted) {
        claims.lock();
        try {
            String given = null;
            int suffix = 2;
            List<String> candidates = new ArrayList<>();
            candidates.add(wanted);
            int batch = FIRST_CANDIDATES;
            while (given == null) {
                while (candidates.size() < batch && suffix <= MAX_SUFFIX) {
                    candidates.add(UsernameRegistry.withSuffix(wanted, suffix++, maxNameLength));
                }
                String reply = execute(() -> redis.execute(Scripts.CLAIM, claimKeys(),
                        claimArgs(id, false, candidates).toArray()));
                if (Scripts.SETTLING.equals(reply)) {
                    throw new RoomUnavailableException("the cluster is settling after a Redis restart", null);
                }
                if (reply != null && !reply.startsWith(Scripts.REFUSED)) {
                    given = reply;
                } else if (suffix > MAX_SUFFIX) {
                    throw new RoomUnavailableException("no free variant of " + wanted, null);
                } else {
                    candidates.clear();
                    batch = MORE_CANDIDATES;
                }
            }
            local.remove(id);
            local.put(id, given);
            return given;
        } finally {
            claims.unlock();
        }
    }

    void release(long id) {
        claims.lock();
        try {
            local.remove(id);
            redis.execute(Scripts.RELEASE, List.of(keys.names(), keys.holders(), keys.hosted(nodeId)),
                    Long.toString(id));
            pendingReleases.remove(id);
        } catch (RuntimeException e) {
            // Retried by the heartbeat; meanwhile the name stays taken.
            pendingReleases.add(id);
        } finally {
            claims.unlock();
        }
    }

    boolean isTaken(String name) {
        return execute(() -> redis.opsForHash().hasKey(keys.names(), UsernameRegistry.key(name)));
    }

    private List<String> claimKeys() {
        return List.of(keys.names(), keys.holders(), keys.hosted(nodeId), keys.epoch(), keys.settling());
    }

    private List<String> claimArgs(long id, boolean reassert, List<String> candidates) {
        List<String> args = new ArrayList<>(3 + 2 * candidates.size());
        args.add(Long.toString(id));
        args.add(reassert ? "1" : "0");
        args.add(Long.toString(settleMillis()));
        for (String candidate : candidates) {
            args.add(candidate);
            args.add(UsernameRegistry.key(candidate));
        }
        return args;
    }

    // ---- ids

    long nextId() {
        Long id = execute(() -> redis.execute(Scripts.NEXT_ID, List.of(keys.ids()), Long.toString(highestId.get())));
        highestId.accumulateAndGet(id, Math::max);
        return id;
    }

    // ---- the stream

    /**
     * Appends one event with the bookkeeping its kind needs (see {@link Scripts#PUBLISH}).
     * Returns the stream id, or null when the event was moot.
     */
    String append(String kind, RoomEvent event, String name, String key) {
        return appendOrdered(kind, event, name, key, "");
    }

    private String appendOrdered(String kind, RoomEvent event, String name, String key, String order) {
        String encoded = EventCodec.encode(event);
        return execute(() -> redis.execute(Scripts.PUBLISH, keys.publishKeys(), kind, Long.toString(idOf(event)),
                encoded, Integer.toString(streamLength), Integer.toString(historySize),
                name == null ? "" : name, key == null ? "" : key, order));
    }

    /** A Left that could not be appended; the heartbeat appends it once Redis answers. */
    void leftPending(long id) {
        pendingLefts.add(id);
    }

    /** The state a starting node applies before reading the stream live. */
    record Snapshot(String lastId, List<Member> roster, List<RoomEvent.Said> history) {
    }

    /** A user on the roster and the order of its sign-in. */
    record Member(RoomEvent.Joined joined, String order) {
    }

    Snapshot snapshot() {
        List<?> reply = redis.execute(Scripts.SNAPSHOT, List.of(keys.events(), keys.roster(), keys.history()));
        String lastId = reply.get(0).toString();
        int rosterSize = Integer.parseInt(reply.get(1).toString());
        long now = System.currentTimeMillis();
        List<Member> joined = new ArrayList<>();
        for (int i = 0; i < rosterSize; i++) {
            long id = Long.parseLong(reply.get(2 + 2 * i).toString());
            String entry = reply.get(3 + 2 * i).toString();
            int colon = entry.indexOf(':');
            joined.add(new Member(new RoomEvent.Joined(id, entry.substring(colon + 1), now), entry.substring(0, colon)));
        }
        joined.sort((a, b) -> compareStreamIds(a.order(), b.order()));
        List<RoomEvent.Said> history = new ArrayList<>();
        for (int i = reply.size() - 1; i >= 2 + 2 * rosterSize; i--) {
            if (EventCodec.decode(reply.get(i).toString()) instanceof RoomEvent.Said said) {
                history.add(said);
            }
        }
        return new Snapshot(lastId, joined, history);
    }

    /**
     * Notes an event as it is applied, with its stream id (or, from a snapshot, the user's
     * order): the roster for the ghost sweep and re-assertion, ids for the id floor.
     */
    void observe(RoomEvent event, String streamId) {
        long id = idOf(event);
        highestId.accumulateAndGet(id, Math::max);
        if (event instanceof RoomEvent.Joined || event instanceof RoomEvent.Renamed) {
            roster.putIfAbsent(id, streamId);
        } else if (event instanceof RoomEvent.Left) {
            roster.remove(id);
        }
    }

    /** Orders stream ids ("ms-seq") as Redis does. */
    static int compareStreamIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int byMillis = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return byMillis != 0 ? byMillis
                : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    private static long idOf(RoomEvent event) {
        if (event instanceof RoomEvent.Joined e) {
            return e.id();
        } else if (event instanceof RoomEvent.Renamed e) {
            return e.id();
        } else if (event instanceof RoomEvent.Left e) {
            return e.id();
        } else if (event instanceof RoomEvent.Said e) {
            return e.id();
        } else if (event instanceof RoomEvent.Typing e) {
            return e.id();
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /** Runs a Redis call; any failure becomes the room's "could not deliver". */
    private static <T> T execute(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RoomUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RoomUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
    }
}
