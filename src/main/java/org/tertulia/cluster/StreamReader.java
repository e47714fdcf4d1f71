package org.tertulia.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.AsyncTaskExecutor;
import org.tertulia.room.EventSink;
import org.tertulia.room.RoomEvent;

/**
 * Reads the room's stream on its own Redis connection and hands every event to the room in
 * the stream's order. It starts from a snapshot of the roster and history taken in one step
 * with the stream position, and after a lost connection it resumes from the last event it
 * read, so nothing is missed.
 *
 * <p>One thread per node connects, takes the snapshot and, after a failure, waits and
 * reconnects. While the connection is up the reading itself needs no thread of its own:
 * each {@code XREAD} reply is applied on the Redis client's event loop that received it,
 * which then sends the next {@code XREAD}. A line thus costs no hand-off to a reading thread
 * and back, which on a busy node was two thread wake-ups per line.
 */
final class StreamReader {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
    private static final byte[] FIELD = "e".getBytes(StandardCharsets.UTF_8);
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final Supplier<RedisClient> client;
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
    private volatile String lastId; // written by one read at a time: the reader thread, then the event loop

    /** {@code client}: the Redis client this node's other commands use, asked for when connecting. */
    StreamReader(Supplier<RedisClient> client, ClusterScripts redis, RedisKeys keys, AppliedRoster roster,
            NodeMembership membership, AsyncTaskExecutor thread, Duration block) {
        this.client = client;
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
        StatefulRedisConnection<byte[], byte[]> connection = null;
        XReadArgs options = XReadArgs.Builder.block(block).count(512);
        try {
            while (running) {
                try {
                    if (connection == null) {
                        connection = client.get().connect(ByteArrayCodec.INSTANCE);
                    }
                    if (!bootstrapped) {
                        bootstrap();
                    }
                    CompletableFuture<Throwable> ended = new CompletableFuture<>();
                    follow(connection.async(), options, ended);
                    Throwable failure = ended.get();
                    if (failure == null) {
                        break; // stopped
                    }
                    throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    if (!failing) {
                        log.warn("node {} lost the room's stream ({}); reconnecting", membership.nodeId(), e.toString());
                        failing = true;
                        backoff = MIN_BACKOFF_MILLIS; // it had read since the last failure
                    }
                    closeQuietly(connection);
                    connection = null;
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (ExecutionException e) {
            log.error("the room's stream reader failed", e); // ended is only ever completed normally
        } finally {
            closeQuietly(connection);
            finished.countDown();
        }
    }

    /**
     * Sends the next {@code XREAD} after {@link #lastId}; its reply is applied, and the read
     * after it sent, on the thread that completes it (the client's event loop). Completes
     * {@code ended} with the failure that stops the reading, or with null once stopped.
     */
    private void follow(RedisAsyncCommands<byte[], byte[]> commands, XReadArgs options,
            CompletableFuture<Throwable> ended) {
        if (!running) {
            ended.complete(null);
            return;
        }
        try {
            commands.xread(options, XReadArgs.StreamOffset.from(stream, lastId)).whenComplete((records, error) -> {
                if (error != null) {
                    ended.complete(error);
                    return;
                }
                try {
                    received(records);
                } catch (RuntimeException | Error e) {
                    // Whatever stops this chain must wake the reader thread, or the node
                    // would stop reading without anyone knowing.
                    ended.complete(e);
                    return;
                }
                follow(commands, options, ended);
            });
        } catch (RuntimeException e) {
            ended.complete(e);
        }
    }

    private void received(List<StreamMessage<byte[], byte[]>> records) {
        if (failing) {
            log.info("node {} reads the room's stream again", membership.nodeId());
            failing = false;
            membership.checkSoon();
        }
        if (records != null) {
            for (StreamMessage<byte[], byte[]> record : records) {
                String id = record.getId();
                lastId = id;
                deliver(record.getBody(), position(id));
            }
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

    private static void closeQuietly(StatefulRedisConnection<byte[], byte[]> connection) {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // it is being replaced
            }
        }
    }
}
