package org.tertulia.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.tertulia.room.RoomBus;
import org.tertulia.room.RoomEvent;
import org.tertulia.room.RoomUnavailableException;
import org.tertulia.room.UsernameRegistry;

/**
 * The room's order kept in a Redis stream: publishing appends to it, and one reader thread
 * per node takes every event from it, in its order, and hands it to the room. A node's own
 * users' events come back to it through that same reader, so every node delivers one order.
 *
 * <p>On shutdown it stops after the web layer has said goodbye to every user (their Left
 * events are out) and before the Redis connections close, then takes the node out of the
 * cluster so its remaining users leave everyone's list at once.
 */
final class RedisRoomBus implements RoomBus, SmartLifecycle {

    /** After GoingAway (the default phase) has closed every connection; before the Redis client stops. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(RedisRoomBus.class);
    private static final byte[] FIELD = "e".getBytes(StandardCharsets.UTF_8);
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final ClusterNode node;
    private final RedisConnectionFactory connections;
    private final Duration block;
    private final Duration startupWait;
    private final byte[] stream;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private volatile Consumer<RoomEvent> sink;
    private volatile boolean running = true;
    private volatile boolean bootstrapped;
    private volatile boolean lifecycleRunning;
    private String lastId;

    RedisRoomBus(ClusterNode node, RedisConnectionFactory connections, RedisKeys keys, Duration block,
            Duration startupWait) {
        this.node = node;
        this.connections = connections;
        this.block = block;
        this.startupWait = startupWait;
        this.stream = keys.events().getBytes(StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "cluster-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Starts reading. Waits a while for the first snapshot, so a node that starts with Redis up
     * knows the room before it serves anyone; if Redis is down it keeps trying in the background
     * and its users are told their frames were not delivered until it succeeds.
     */
    @Override
    public void start(Consumer<RoomEvent> sink) {
        this.sink = sink;
        reader.start();
        try {
            if (!ready.await(startupWait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Redis not reachable yet; node {} keeps trying and serves once it is", node.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void publish(RoomEvent event) {
        if (!bootstrapped) {
            if (event instanceof RoomEvent.Left left) {
                node.leftPending(left.id());
            }
            throw new RoomUnavailableException("this node has not reached Redis yet", null);
        }
        try {
            if (event instanceof RoomEvent.Joined joined) {
                appendName(joined.id(), event, joined.name());
            } else if (event instanceof RoomEvent.Renamed renamed) {
                appendName(renamed.id(), event, renamed.name());
            } else if (event instanceof RoomEvent.Said said) {
                node.append(said.target() == null ? "H" : "P", event, null, null);
            } else if (event instanceof RoomEvent.Left left) {
                try {
                    node.append("L", event, null, null);
                } catch (RoomUnavailableException e) {
                    node.leftPending(left.id());
                    throw e;
                }
            } else {
                node.append("P", event, null, null);
            }
        } catch (RoomUnavailableException e) {
            if (event instanceof RoomEvent.Typing) {
                return; // a typing notice is a courtesy: losing one is not worth an error
            }
            throw e;
        }
    }

    private void appendName(long id, RoomEvent event, String name) {
        try {
            node.append("U", event, name, UsernameRegistry.key(name));
        } catch (RoomUnavailableException e) {
            // The user holds the name but the room was not told: the heartbeat puts it right.
            node.assertPending(id);
            throw e;
        }
    }

    private void read() {
        long backoff = MIN_BACKOFF_MILLIS;
        boolean failing = false;
        RedisConnection connection = null;
        StreamReadOptions options = StreamReadOptions.empty().count(512).block(block);
        while (running) {
            try {
                if (connection == null) {
                    connection = connections.getConnection();
                }
                if (!bootstrapped) {
                    bootstrap();
                }
                List<ByteRecord> records = connection.streamCommands()
                        .xRead(options, StreamOffset.create(stream, ReadOffset.from(lastId)));
                if (failing) {
                    log.info("node {} reads the room's stream again", node.id());
                    failing = false;
                    node.checkSoon();
                }
                backoff = MIN_BACKOFF_MILLIS;
                if (records != null) {
                    for (ByteRecord record : records) {
                        lastId = record.getId().getValue();
                        deliver(record.getValue(), lastId);
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!failing) {
                    log.warn("node {} lost the room's stream ({}); reconnecting", node.id(), e.toString());
                    failing = true;
                }
                closeQuietly(connection);
                connection = null;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
        closeQuietly(connection);
    }

    /** The roster and history as they stand, applied before the live events that follow them. */
    private void bootstrap() {
        node.register();
        ClusterNode.Snapshot snapshot = node.snapshot();
        for (ClusterNode.Member member : snapshot.roster()) {
            apply(member.joined(), member.order());
        }
        for (RoomEvent.Said said : snapshot.history()) {
            apply(said, snapshot.lastId());
        }
        lastId = snapshot.lastId();
        bootstrapped = true;
        node.activate();
        ready.countDown();
        log.info("node {} joined the shared room: {} user(s), {} message(s) of history", node.id(),
                snapshot.roster().size(), snapshot.history().size());
    }

    private void deliver(Map<byte[], byte[]> fields, String streamId) {
        for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
            if (java.util.Arrays.equals(field.getKey(), FIELD)) {
                RoomEvent event = EventCodec.decode(new String(field.getValue(), StandardCharsets.UTF_8));
                if (event != null) {
                    apply(event, streamId);
                }
            }
        }
    }

    private void apply(RoomEvent event, String streamId) {
        node.observe(event, streamId);
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            // One event that the room fails on must not stop the order for everyone after it.
            log.error("applying {} failed", event, e);
        }
    }

    private static void closeQuietly(RedisConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // it is being replaced
            }
        }
    }

    @Override
    public void start() {
        lifecycleRunning = true; // reading began when the room called start(sink)
    }

    @Override
    public void stop() {
        lifecycleRunning = false;
        running = false;
        reader.interrupt();
        try {
            reader.join(block.toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.close();
    }

    @Override
    public boolean isRunning() {
        return lifecycleRunning;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
