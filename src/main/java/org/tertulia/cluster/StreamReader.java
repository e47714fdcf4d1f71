package org.tertulia.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.tertulia.room.EventSink;
import org.tertulia.room.RoomEvent;

/**
 * Reads the room's stream: one thread per node, on its own Redis connection, takes every
 * event in the stream's order and hands it to the room. It starts from a snapshot of the
 * roster and history taken in one step with the stream position, and after a lost
 * connection it resumes from the last event it read, so nothing is missed.
 */
final class StreamReader {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
    private static final byte[] FIELD = "e".getBytes(StandardCharsets.UTF_8);
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final RedisConnectionFactory connections;
    private final ClusterScripts redis;
    private final AppliedRoster roster;
    private final NodeMembership membership;
    private final AsyncTaskExecutor thread;
    private final Duration block;
    private final byte[] stream;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile EventSink sink;
    private volatile boolean running;
    private volatile boolean bootstrapped;
    private volatile boolean failing;
    private volatile Future<?> task;
    private volatile String lastId; // written by the reading thread only

    StreamReader(RedisConnectionFactory connections, ClusterScripts redis, RedisKeys keys, AppliedRoster roster,
            NodeMembership membership, AsyncTaskExecutor thread, Duration block) {
        this.connections = connections;
        this.redis = redis;
        this.roster = roster;
        this.membership = membership;
        this.thread = thread;
        this.block = block;
        this.stream = keys.events().getBytes(StandardCharsets.UTF_8);
    }

    /** Starts reading into {@code sink}; returns at once. */
    void start(EventSink sink) {
        this.sink = sink;
        running = true;
        task = thread.submit(this::read);
    }

    /** Waits up to {@code wait} for the first snapshot to be applied; false if it was not. */
    boolean awaitReady(Duration wait) throws InterruptedException {
        return ready.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether this node has applied the room's state and reads it live. */
    boolean bootstrapped() {
        return bootstrapped;
    }

    /** Whether the reader is reading the stream now (not between a lost connection and the next). */
    boolean reading() {
        return running && bootstrapped && !failing;
    }

    /**
     * How many events this node has still to read, counting no further than {@code limit}
     * (asked of Redis: for the metrics); -1 before the first snapshot.
     */
    long lag(int limit) {
        String last = lastId;
        return last == null ? -1 : redis.eventsAfter(last, limit);
    }

    /** Stops reading and waits (briefly) for the thread to finish. */
    void stop() throws InterruptedException {
        running = false;
        Future<?> reading = task;
        if (reading != null) {
            reading.cancel(true);
            finished.await(block.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        }
    }

    private void read() {
        long backoff = MIN_BACKOFF_MILLIS;
        RedisConnection connection = null;
        StreamReadOptions options = StreamReadOptions.empty().count(512).block(block);
        try {
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
                        log.info("node {} reads the room's stream again", membership.nodeId());
                        failing = false;
                        membership.checkSoon();
                    }
                    backoff = MIN_BACKOFF_MILLIS;
                    if (records != null) {
                        for (ByteRecord record : records) {
                            lastId = record.getId().getValue();
                            deliver(record.getValue(), position(lastId));
                        }
                    }
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    if (!failing) {
                        log.warn("node {} lost the room's stream ({}); reconnecting", membership.nodeId(), e.toString());
                        failing = true;
                    }
                    closeQuietly(connection);
                    connection = null;
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            closeQuietly(connection);
            finished.countDown();
        }
    }

    /** The roster and history as they stand, applied before the live events that follow them. */
    private void bootstrap() {
        membership.register();
        ClusterScripts.Snapshot snapshot = redis.snapshot();
        for (ClusterScripts.Listed listed : snapshot.roster()) {
            apply(listed.joined(), listed.order());
        }
        for (ClusterScripts.Line line : snapshot.history()) {
            apply(line.said(), line.position());
        }
        // What the snapshot handed over is known only in part: a client that comes back
        // catches up exactly only on what this node reads from here on.
        sink.begin(snapshot.last());
        lastId = snapshot.last() + "-0";
        bootstrapped = true;
        membership.activate();
        ready.countDown();
        log.info("node {} joined the shared room: {} user(s), {} message(s) of history", membership.nodeId(),
                snapshot.roster().size(), snapshot.history().size());
    }

    /** The position of a stream entry: the first part of its id ({@code <position>-0}). */
    private static long position(String streamId) {
        int dash = streamId.indexOf('-');
        return Long.parseLong(dash < 0 ? streamId : streamId.substring(0, dash));
    }

    private void deliver(Map<byte[], byte[]> fields, long position) {
        for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
            if (Arrays.equals(field.getKey(), FIELD)) {
                RoomEvent event = EventCodec.decode(new String(field.getValue(), StandardCharsets.UTF_8));
                if (event != null) {
                    apply(event, position);
                }
            }
        }
    }

    private void apply(RoomEvent event, long position) {
        roster.observe(event, position);
        try {
            sink.apply(position, event);
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
}
