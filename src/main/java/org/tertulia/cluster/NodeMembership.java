package org.tertulia.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.tertulia.room.RoomEvent;
import org.tertulia.room.RoomUnavailableException;

/**
 * This node's place in the cluster: its registration and heartbeat, the reaping of dead
 * nodes, the retrying of what could not reach Redis, and the repair after Redis lost its data
 * or this node was presumed dead. All of it runs on one scheduler thread.
 */
final class NodeMembership {

    private static final Logger log = LoggerFactory.getLogger(NodeMembership.class);

    private final ClusterScripts redis;
    private final RedisNames names;
    private final AppliedRoster roster;
    private final ClusterProperties settings;
    private final TaskScheduler scheduler;
    private final Map<Long, Long> pendingLefts = new ConcurrentHashMap<>(); // id to connection
    private final Set<Long> pendingAsserts = ConcurrentHashMap.newKeySet();
    private volatile long lastLossNanos = System.nanoTime();
    private volatile ScheduledFuture<?> beating;
    private volatile boolean healthy = true;
    private long ticks; // confined to the scheduler's one thread
    private boolean closed; // guarded by this

    NodeMembership(ClusterScripts redis, RedisNames names, AppliedRoster roster, ClusterProperties settings,
            TaskScheduler scheduler) {
        this.redis = redis;
        this.names = names;
        this.roster = roster;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    String nodeId() {
        return redis.nodeId();
    }

    /** Registers this node; called once Redis answers, before this node claims anything. */
    void register() {
        redis.heartbeat(ClusterScripts.Beat.FRESH);
    }

    /** Starts the heartbeat: from now on the node keeps itself registered and repairs what it hosts. */
    synchronized void activate() {
        if (!closed && beating == null) {
            beating = scheduler.scheduleWithFixedDelay(this::tick, Instant.now().plus(settings.beat()), settings.beat());
        }
    }

    /**
     * Whether the last heartbeat went through (and none was suspected since): the commands
     * this node sends besides the stream's (ids, names, sessions) reach Redis.
     */
    boolean healthy() {
        return healthy;
    }

    /**
     * The stream reader lost Redis: until a heartbeat goes through again, this node does not
     * count on its other connection either (Lettuce may still be reconnecting it when the
     * reader is back).
     */
    void suspect() {
        healthy = false;
    }

    /** Asks for a heartbeat now, e.g. right after the stream reader got its connection back. */
    void checkSoon() {
        if (beating != null) {
            scheduler.schedule(this::tick, Instant.now());
        }
    }

    /** A join or rename of local user {@code id} that could not be appended: the heartbeat re-asserts it. */
    void assertPending(long id) {
        pendingAsserts.add(id);
    }

    /** A leave that could not be appended: the heartbeat appends it once Redis answers. */
    void leftPending(long id, long connection) {
        pendingLefts.put(id, connection);
    }

    private void tick() {
        try {
            if (!redis.heartbeat(ClusterScripts.Beat.BEAT)) {
                repair();
            }
            retryPending();
            redis.lapse();
            long reaped = redis.reap();
            if (reaped > 0) {
                log.info("reaped {} dead node(s): their users left the room", reaped);
            }
            if (++ticks % 3 == 0 && System.nanoTime() - lastLossNanos > settings.nodeTtl().toNanos()) {
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
        redis.heartbeat(ClusterScripts.Beat.REPAIR);
        redis.raiseIds(roster.highestId());
        Map<Long, RedisNames.Held> local = names.local();
        int lost = 0;
        for (Map.Entry<Long, RedisNames.Held> user : local.entrySet()) {
            if (!reassert(user.getKey(), user.getValue())) {
                lost++;
            }
        }
        log.warn("this node's registration in Redis was gone (Redis restarted or this node was presumed dead): "
                + "re-asserted {} user(s){}", local.size() - lost,
                lost == 0 ? "" : "; " + lost + " name(s) were taken meanwhile by others");
    }

    /** Puts local user {@code id} back as it was, in its old place; false when someone else took the name. */
    private boolean reassert(long id, RedisNames.Held held) {
        RedisNames.Reclaim reclaim = names.reclaim(id, held);
        if (reclaim == RedisNames.Reclaim.HELD) {
            AppliedRoster.Seat seat = roster.seat(id);
            redis.append(Append.REASSERT,
                    new RoomEvent.Joined(id, held.connection(), held.name(), System.currentTimeMillis()), held.name(),
                    seat == null ? null : Long.toString(seat.order()), held.connection());
        }
        return reclaim != RedisNames.Reclaim.TAKEN;
    }

    private void retryPending() {
        for (Long id : List.copyOf(pendingAsserts)) {
            RedisNames.Held held = names.localHeld(id);
            if (held != null) {
                reassert(id, held);
            }
            pendingAsserts.remove(id);
        }
        names.retryEnds();
        for (Map.Entry<Long, Long> left : Map.copyOf(pendingLefts).entrySet()) {
            redis.append(Append.LEAVE, new RoomEvent.Left(left.getKey(), left.getValue(), System.currentTimeMillis()),
                    null, null, left.getValue());
            pendingLefts.remove(left.getKey());
        }
    }

    /** Users on this node's roster whom Redis no longer knows (their node died while Redis was down). */
    private void sweepGhosts() {
        Map<Long, AppliedRoster.Seat> known = roster.seats();
        if (known.isEmpty()) {
            return;
        }
        Set<Long> listed = redis.rosterIds();
        for (Map.Entry<Long, AppliedRoster.Seat> seat : known.entrySet()) {
            if (!listed.contains(seat.getKey())) {
                long connection = seat.getValue().connection();
                redis.append(Append.GHOST, new RoomEvent.Left(seat.getKey(), connection, System.currentTimeMillis()),
                        null, null, connection);
            }
        }
    }

    /**
     * Leaves the cluster: stops the heartbeat and takes its registration away. The other
     * nodes reap it at their next heartbeat: its users whose clients have not come back
     * through another node by then leave the list, their sessions still resumable.
     */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (beating != null) {
            beating.cancel(false);
        }
        try {
            redis.deregister();
        } catch (RoomUnavailableException e) {
            log.info("could not deregister from Redis ({}); the others reap this node within {}", e.toString(),
                    settings.nodeTtl());
        }
    }
}
