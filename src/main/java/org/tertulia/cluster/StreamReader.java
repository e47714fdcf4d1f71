package org.tertulia.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.AsyncTaskExecutor;
import org.tertulia.room.EventSink;
import org.tertulia.room.RoomEvent;

/**
 * Hands every event of the room's stream to the room, in the stream's order. It starts from
 * a snapshot of the roster and history taken in one step with the stream position, and after
 * a lost connection it goes on from the last event it applied, so nothing is missed.
 *
 * <p>Each entry reaches a node as Redis pushes it: the script that appends an entry also
 * publishes it, with the position before it, on a channel this node subscribes to. A pushed
 * entry whose previous position is the last this node applied is applied at once, on the
 * Redis client's event loop that received it; one Redis reply per line and no command sent
 * back. Anything else (the first entries after subscribing, a push that does not follow on,
 * a quiet second) makes the node read the stream itself from its last position, keeping the
 * pushes that arrive meanwhile and applying them after what it read. The stream stays the
 * truth: a push only saves reading it.
 *
 * <p>One thread per node connects, takes the snapshot, watches for a lost connection and,
 * after one, waits and reconnects; it also reads the stream once a second while no push
 * comes, so a push that never came (a node of an older version appending, say) delays an
 * entry by little more than a second instead of until the next one. How many entries came
 * each way is counted ({@code tertulia.cluster.stream.entries}, by {@code via}).
 */
final class StreamReader {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);
    private static final byte[] FIELD = "e".getBytes(StandardCharsets.UTF_8);
    private static final long MIN_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    /** How long without a push before the stream is read anyway, and how often the thread looks. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int READ_COUNT = 512;
    private static final XReadArgs READ = XReadArgs.Builder.count(READ_COUNT);

    private final Supplier<RedisClient> client;
    private final ClusterScripts redis;
    private final AppliedRoster roster;
    private final NodeMembership membership;
    private final AsyncTaskExecutor thread;
    private final long timeoutMillis;
    private final byte[] stream;
    private final byte[] channel;
    private final Counter pushedEntries;
    private final Counter readEntries;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final RedisConnectionStateListener lost = new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            disconnected(connection);
        }
    };
    private volatile EventSink sink;
    private volatile boolean running;
    private volatile boolean bootstrapped;
    private volatile boolean failing;
    private volatile Future<?> task;
    /** The last position applied; written under {@link #lock} only, read anywhere. */
    private volatile long last;

    private final Object lock = new Object();
    // Guarded by lock: the connections being followed, and how far.
    private Following following;
    private boolean catchingUp;
    private Push readFor; // the push whose missing predecessors the read in flight looks for
    private long lastPushNanos;
    private final ArrayDeque<Push> pending = new ArrayDeque<>();

    /** The connections of one attempt, and how that attempt ends: with its failure, or null when stopped. */
    private record Following(StatefulRedisConnection<byte[], byte[]> reads,
            StatefulRedisPubSubConnection<byte[], byte[]> pushes, CompletableFuture<Throwable> ended) {
    }

    /** An entry as pushed: its position, the one before it, and the encoded event. */
    private record Push(long previous, long position, String event) {
    }

    /**
     * {@code client}: the Redis client this node's other commands use, asked for when
     * connecting; {@code timeout} bounds the wait for the subscription.
     */
    StreamReader(Supplier<RedisClient> client, ClusterScripts redis, RedisKeys keys, AppliedRoster roster,
            NodeMembership membership, AsyncTaskExecutor thread, Duration timeout, MeterRegistry registry) {
        this.pushedEntries = entries(registry, "push");
        this.readEntries = entries(registry, "read");
        this.client = client;
        this.redis = redis;
        this.roster = roster;
        this.membership = membership;
        this.thread = thread;
        this.timeoutMillis = timeout.toMillis();
        this.stream = keys.events().getBytes(StandardCharsets.UTF_8);
        this.channel = keys.pushed().getBytes(StandardCharsets.UTF_8);
    }

    private static Counter entries(MeterRegistry registry, String via) {
        return Counter.builder("tertulia.cluster.stream.entries").tag("via", via)
                .description("Entries of the shared stream this node applied, by how they came: pushed by Redis,"
                        + " or read from the stream (after connecting, a push that did not follow on, a quiet second)")
                .register(registry);
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

    /** Whether the reader is following the stream now (not between a lost connection and the next). */
    boolean reading() {
        return running && bootstrapped && !failing;
    }

    /**
     * How many events this node has still to read, counting no further than {@code limit}
     * (asked of Redis: for the metrics); -1 before the first snapshot.
     */
    long lag(int limit) {
        return bootstrapped ? redis.eventsAfter(last + "-0", limit) : -1;
    }

    /**
     * Stops reading and waits (briefly) for the thread to finish. Nothing is applied once
     * this returns, though a push may still arrive until the thread has closed the connections.
     */
    void stop() throws InterruptedException {
        running = false;
        synchronized (lock) {
            if (following != null) {
                following.ended().complete(null);
                following = null;
            }
        }
        Future<?> reading = task;
        if (reading != null) {
            reading.cancel(true);
            finished.await(timeoutMillis + 1_000, TimeUnit.MILLISECONDS);
        }
    }

    private void read() {
        long backoff = MIN_BACKOFF_MILLIS;
        RedisClient redisClient = null;
        try {
            while (running) {
                StatefulRedisConnection<byte[], byte[]> reads = null;
                StatefulRedisPubSubConnection<byte[], byte[]> pushes = null;
                try {
                    if (redisClient == null) {
                        redisClient = client.get();
                        redisClient.addListener(lost);
                    }
                    reads = redisClient.connect(ByteArrayCodec.INSTANCE);
                    pushes = redisClient.connectPubSub(ByteArrayCodec.INSTANCE);
                    if (!bootstrapped) {
                        bootstrap();
                    }
                    Throwable failure = follow(reads, pushes);
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
                        membership.suspect();
                        backoff = MIN_BACKOFF_MILLIS; // it had read since the last failure
                    }
                    forget();
                    closeQuietly(reads);
                    closeQuietly(pushes);
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                } finally {
                    if (!running) {
                        forget();
                        closeQuietly(reads);
                        closeQuietly(pushes);
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            if (redisClient != null) {
                redisClient.removeListener(lost);
            }
            finished.countDown();
        }
    }

    /**
     * Subscribes, reads what the stream holds after the last applied position, then applies
     * pushes as they come until a connection fails or the reader stops; returns the failure,
     * or null once stopped. Meanwhile this thread reads the stream after each quiet second.
     */
    private Throwable follow(StatefulRedisConnection<byte[], byte[]> reads,
            StatefulRedisPubSubConnection<byte[], byte[]> pushes) throws InterruptedException {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Following attempt = new Following(reads, pushes, ended);
        pushes.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] from, byte[] message) {
                pushed(attempt, message);
            }
        });
        synchronized (lock) {
            following = attempt;
            pending.clear();
            catchingUp = true; // pushes wait until the stream was read once
            lastPushNanos = System.nanoTime();
        }
        if (!reads.isOpen() || !pushes.isOpen()) {
            return new IllegalStateException("a connection to Redis closed as it opened");
        }
        try {
            pushes.async().subscribe(channel).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return new IllegalStateException("Redis did not confirm the subscription within " + timeoutMillis + " ms");
        }
        synchronized (lock) {
            readFor = null;
            readStream(attempt);
        }
        while (running) {
            try {
                return ended.get(LOOK_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException quiet) {
                synchronized (lock) {
                    if (!catchingUp && System.nanoTime() - lastPushNanos >= QUIET_NANOS) {
                        catchingUp = true;
                        readFor = null;
                        readStream(attempt);
                    }
                }
            } catch (ExecutionException e) {
                return e.getCause(); // ended is only ever completed normally
            }
        }
        return null;
    }

    /** A connection closed: if it is one being followed, that attempt ends (the thread reconnects). */
    private void disconnected(RedisChannelHandler<?, ?> connection) {
        synchronized (lock) {
            Following now = following;
            if (now != null && (connection == now.reads() || connection == now.pushes())) {
                now.ended().complete(new IllegalStateException("a connection to Redis was lost"));
            }
        }
    }

    /** Leaves the attempt that failed or stopped, so nothing it still receives is applied. */
    private void forget() {
        synchronized (lock) {
            following = null;
            pending.clear();
        }
    }

    /** On the Pub/Sub connection's event loop: one entry as appended. */
    private void pushed(Following attempt, byte[] message) {
        Push push;
        try {
            push = parse(message);
        } catch (RuntimeException e) {
            log.warn("ignored a push that is not an entry of the room's stream ({} bytes)", message.length);
            return;
        }
        synchronized (lock) {
            if (following != attempt || !running) {
                return; // from an attempt that ended, or after stop()
            }
            lastPushNanos = System.nanoTime();
            if (catchingUp) {
                pending.add(push);
                return;
            }
            try {
                if (!follows(push)) {
                    // Something came before this push that this node never saw pushed.
                    catchingUp = true;
                    pending.add(push);
                    readFor = push;
                    readStream(attempt);
                }
            } catch (RuntimeException | Error e) {
                attempt.ended().complete(e);
            }
        }
    }

    /**
     * Applies {@code push} if it follows on from the last applied position (or is one already
     * applied, which it skips); false if entries are missing before it.
     */
    private boolean follows(Push push) {
        if (push.position() <= last) {
            return true;
        }
        if (push.previous() != last) {
            return false;
        }
        RoomEvent event = EventCodec.decode(push.event());
        last = push.position();
        pushedEntries.increment();
        if (event != null) {
            apply(event, push.position());
        }
        return true;
    }

    /** Under the lock: reads the stream after the last applied position (once caught up, the pushes kept meanwhile follow). */
    private void readStream(Following attempt) {
        try {
            attempt.reads().async().xread(READ, XReadArgs.StreamOffset.from(stream, last + "-0"))
                    .whenComplete((records, error) -> received(attempt, records, error));
        } catch (RuntimeException e) {
            attempt.ended().complete(e);
        }
    }

    /** On the reading connection's event loop: what the stream held after the last applied position. */
    private void received(Following attempt, List<StreamMessage<byte[], byte[]>> records, Throwable error) {
        synchronized (lock) {
            if (following != attempt || !running) {
                return; // from an attempt that ended, or after stop()
            }
            if (error != null) {
                attempt.ended().complete(error);
                return;
            }
            try {
                if (records != null) {
                    for (StreamMessage<byte[], byte[]> record : records) {
                        long position = position(record.getId());
                        if (position > last) {
                            last = position;
                            readEntries.increment();
                            deliver(record.getBody(), position);
                        }
                    }
                }
                if (records != null && records.size() >= READ_COUNT) {
                    readStream(attempt); // there may be more
                    return;
                }
                if (failing) {
                    log.info("node {} reads the room's stream again", membership.nodeId());
                    failing = false;
                    membership.checkSoon();
                }
                applyPending(attempt);
            } catch (RuntimeException | Error e) {
                // Whatever stops the reading must wake the reader thread, or the node would
                // stop reading without anyone knowing.
                attempt.ended().complete(e);
            }
        }
    }

    /**
     * Under the lock, with the stream read to its end: applies the pushes kept meanwhile.
     * One that still does not follow on came before the read was sent, so entries before it
     * may have been appended after the read: the stream is read again, for it. After a read
     * sent once that push had arrived, the push is either applied or skipped, since an entry
     * is in the stream before it is pushed (the script appends, then publishes); if it still
     * does not follow on, the entries before it are not in the stream any more (trimmed),
     * and it is applied as it stands.
     */
    private void applyPending(Following attempt) {
        Push push;
        while ((push = pending.poll()) != null) {
            if (!follows(push)) {
                if (push != readFor) {
                    pending.addFirst(push);
                    readFor = push;
                    readStream(attempt);
                    return;
                }
                log.warn("node {} applies entry {} without the entries before it (from {}), which the stream no"
                        + " longer holds", membership.nodeId(), push.position(), last);
                last = push.previous();
                follows(push);
            }
        }
        catchingUp = false;
    }

    /** A pushed message: "previous position", space, "position", space, the encoded event. */
    private static Push parse(byte[] message) {
        int first = indexOf(message, 0);
        int second = indexOf(message, first + 1);
        return new Push(number(message, 0, first), number(message, first + 1, second),
                new String(message, second + 1, message.length - second - 1, StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == ' ') {
                return i;
            }
        }
        throw new IllegalArgumentException("no space after " + from);
    }

    private static long number(byte[] message, int from, int to) {
        if (from == to) {
            throw new IllegalArgumentException("empty number");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = message[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("not a digit");
            }
            value = Math.multiplyExact(value, 10) + digit;
        }
        return value;
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
        synchronized (lock) {
            last = snapshot.last();
        }
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

    private static void closeQuietly(StatefulConnection<byte[], byte[]> connection) {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // it is being replaced
            }
        }
    }
}
