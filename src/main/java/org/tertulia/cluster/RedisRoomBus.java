package org.tertulia.cluster;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tertulia.room.EventSink;
import org.tertulia.room.RoomBus;
import org.tertulia.room.RoomEvent;
import org.tertulia.room.RoomUnavailableException;

/**
 * The room's order kept in a Redis stream: publishing appends to it, and the
 * {@link StreamReader} hands every event back, in the stream's order, to the room of every
 * node, this node's own users' events included, so every node delivers one order.
 */
final class RedisRoomBus implements RoomBus {

    private static final Logger log = LoggerFactory.getLogger(RedisRoomBus.class);
    /** How long starting waits for the room's state, so a node that starts with Redis up knows the room before it serves. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

    private final ClusterScripts redis;
    private final StreamReader reader;
    private final NodeMembership membership;

    RedisRoomBus(ClusterScripts redis, StreamReader reader, NodeMembership membership) {
        this.redis = redis;
        this.reader = reader;
        this.membership = membership;
    }

    /**
     * Starts reading, and waits a while for the first snapshot; if Redis is down the reader
     * keeps trying in the background, and users are told their frames were not delivered
     * until it succeeds.
     */
    @Override
    public void start(EventSink sink) {
        reader.start(sink);
        try {
            if (!reader.awaitReady(STARTUP_WAIT)) {
                log.warn("Redis not reachable yet; node {} keeps trying and serves once it is", membership.nodeId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading, then takes the node out of the cluster (see {@link NodeMembership#close}). */
    @Override
    public void stop() {
        try {
            reader.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        membership.close();
    }

    /** Events this node has still to read (for the metrics); NaN when Redis does not say. */
    double lag() {
        try {
            return reader.lag(1_000);
        } catch (RoomUnavailableException e) {
            return Double.NaN;
        }
    }

    /**
     * Ready while the reader follows the stream and the last heartbeat went through: a
     * newcomer needs both (its id and its name come over the node's other connection).
     */
    @Override
    public boolean isReady() {
        return reader.reading() && membership.healthy();
    }

    @Override
    public void publish(RoomEvent event) {
        if (!reader.bootstrapped()) {
            if (event instanceof RoomEvent.Left left) {
                membership.leftPending(left.id(), left.connection());
            }
            throw new RoomUnavailableException("this node has not reached Redis yet", null);
        }
        try {
            if (event instanceof RoomEvent.Joined joined) {
                appendName(event, joined.name(), joined.connection());
            } else if (event instanceof RoomEvent.Renamed renamed) {
                appendName(event, renamed.name(), null);
            } else if (event instanceof RoomEvent.Resumed resumed) {
                redis.append(Append.RESUMED, event, resumed.name(), null, resumed.connection());
            } else if (event instanceof RoomEvent.Said said) {
                redis.append(said.target() == null ? Append.LINE : Append.PASS, event, null, null, null);
            } else if (event instanceof RoomEvent.Left left) {
                appendLeave(left);
            } else {
                redis.append(Append.PASS, event, null, null, null);
            }
        } catch (RoomUnavailableException e) {
            if (event instanceof RoomEvent.Typing) {
                return; // a typing notice is a courtesy: losing one is not worth an error
            }
            throw e;
        }
    }

    private void appendName(RoomEvent event, String name, Long connection) {
        try {
            redis.append(Append.NAME, event, name, null, connection);
        } catch (RoomUnavailableException e) {
            // The user holds the name but the room was not told: the heartbeat puts it right.
            membership.assertPending(event.id());
            throw e;
        }
    }

    private void appendLeave(RoomEvent.Left left) {
        try {
            redis.append(Append.LEAVE, left, null, null, left.connection());
        } catch (RoomUnavailableException e) {
            membership.leftPending(left.id(), left.connection());
            throw e;
        }
    }
}
