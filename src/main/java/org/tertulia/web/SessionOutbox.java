package org.tertulia.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.util.Callback;
import org.springframework.scheduling.TaskScheduler;
import org.tertulia.protocol.Frame;
import org.tertulia.room.Departure;
import org.tertulia.room.Outbox;

/**
 * The outbox of one WebSocket connection: frames wait in a queue bounded in bytes, each the
 * broadcast's own buffer of wire bytes (header and payload, made once for all recipients),
 * and the connection's flush loop writes all that waits in one gathering write. Nothing here
 * waits for the network: a connection that falls too far behind (too many bytes not yet
 * written) is cut off at once and reported as a slow reader; one that makes no progress for
 * the send timeout is found by the heartbeat ({@link #stalled}).
 *
 * <p>The queue is an array and the outbox's own monitor guards it, with the byte count and
 * the flag that says the outbox is on its loop's list. A broadcast offers one frame to every
 * member, so this is the hottest code of a fan-out: one uncontended lock on an object the
 * offer touches anyway costs less than a linked queue's node, its tail and three atomic
 * objects of their own, each a cache miss per member (a profile at N = 2,000 had the linked
 * queue's offer and poll at 14% of the server's CPU). The lock is held for a few stores,
 * never across a write or a call out.
 */
final class SessionOutbox implements Outbox {

    /** Buffers one write takes at most: well under the kernel's limit for a gathering write. */
    static final int MOST_PER_WRITE = 512;
    /** Bytes waiting that make a write worth its system call, so a lingering outbox stops waiting. */
    static final int WORTH_A_WRITE = 4_096;
    /** Slots the queue starts with, and goes back to when a burst that grew it has passed. */
    private static final int INITIAL_QUEUE = 8;
    /**
     * A queue this long or longer is given back when a write empties it of less than a quarter
     * of its slots: a burst grew it and has passed. Shorter ones are kept, so a busy room's
     * outboxes do not grow their queues again after every write.
     */
    private static final int SHRINK_FROM = 256;
    /** How long a connection cut off for not reading has to take its close frame before its socket is dropped. */
    private static final Duration CUT_OFF_GRACE = Duration.ofSeconds(2);
    private static final byte[] PING = {(byte) 0x89, 0};

    private final ChatSocket socket;
    private final FlushLoops.Loop loop;
    private final long maxQueuedBytes;
    private final TaskScheduler timer;
    private final WebMetrics metrics;

    // Frames waiting, oldest first: queue[0..queued). Guarded by this outbox's monitor.
    private ByteBuffer[] queue = new ByteBuffer[INITIAL_QUEUE];
    private int queued;
    // Bytes of frames queued here or being written, not yet written. Changed under the
    // monitor; read without it by the heartbeat and the gauges.
    private volatile long pendingBytes;
    // On the loop's list, or about to be: offers then need not put it there again. Under the monitor.
    private boolean scheduled;
    // No more frames: the connection is ending (a close was asked for, or a write failed).
    private volatile boolean closing;
    // Why it ends was decided (and counted): the first reason wins.
    private final AtomicBoolean ended = new AtomicBoolean();
    // A close frame is queued (or sent): there is only ever one.
    private final AtomicBoolean closeQueued = new AtomicBoolean();
    // A write is under way: only the loop starts one, and its end lets the next start.
    private volatile boolean writing;
    private volatile ByteBuffer closeFrame;
    private volatile long progressNanos = System.nanoTime();
    private volatile boolean lingering;
    private volatile long writtenNanos = System.nanoTime() - (1L << 40);

    SessionOutbox(ChatSocket socket, FlushLoops.Loop loop, long maxQueuedBytes, TaskScheduler timer,
            WebMetrics metrics) {
        this.socket = socket;
        this.loop = loop;
        this.maxQueuedBytes = maxQueuedBytes;
        this.timer = timer;
        this.metrics = metrics;
    }

    @Override
    public boolean offer(Frame frame) {
        if (closing) {
            return false;
        }
        ByteBuffer wire = frame.wire();
        long bytes = wire.remaining();
        boolean promote = false;
        boolean overflow = false;
        synchronized (this) {
            long before = pendingBytes;
            if (before + bytes <= maxQueuedBytes) {
                enqueue(wire);
                if (!scheduled) {
                    scheduled = true;
                    return true;
                }
                // Lingering, and already enough for a write that pays for itself: no more waiting.
                if (lingering && before + bytes >= WORTH_A_WRITE) {
                    lingering = false;
                    promote = true;
                }
            } else {
                overflow = true;
            }
        }
        if (promote) {
            loop.promote(this);
        } else if (overflow && end(Departure.SLOW_READER)) {
            drop(CloseCode.SLOW_READER.code(), CloseCode.SLOW_READER.reason());
            // The caller may hold the room's lock: the room hears of it on another thread.
            socket.cutOff(Departure.SLOW_READER);
        }
        return false;
    }

    /**
     * Adds a frame at the end of the queue, growing it if it is full, and counts its bytes as
     * pending (control frames too, so the count is exactly what is not yet written); under the
     * monitor.
     */
    private void enqueue(ByteBuffer frame) {
        long before = pendingBytes;
        if (before == 0) {
            progressNanos = System.nanoTime();
        }
        pendingBytes = before + frame.remaining();
        if (queued == queue.length) {
            queue = Arrays.copyOf(queue, queued * 2);
        }
        queue[queued++] = frame;
    }

    /** Drops what waits in the queue, and its bytes from the pending count; under the monitor. */
    private void clearQueue() {
        long dropped = 0;
        for (int i = 0; i < queued; i++) {
            dropped += queue[i].remaining();
        }
        pendingBytes -= dropped;
        if (queue.length >= SHRINK_FROM) {
            queue = new ByteBuffer[INITIAL_QUEUE];
        } else {
            Arrays.fill(queue, 0, queued, null);
        }
        queued = 0;
    }

    @Override
    public void flush() {
        loop.schedule(this);
    }

    /** Puts a frame outside the room's order (a ping, a pong) behind what waits, and has it written. */
    void control(ByteBuffer frame) {
        if (!closing) {
            synchronized (this) {
                enqueue(frame);
            }
            schedule();
        }
    }

    void ping() {
        control(ByteBuffer.wrap(PING));
    }

    private void schedule() {
        synchronized (this) {
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        loop.schedule(this);
    }

    /** Whether it waits for its linger to end (see {@link FlushLoops}). */
    void lingering(boolean waiting) {
        lingering = waiting;
    }

    /** When its last write started. */
    long writtenNanos() {
        return writtenNanos;
    }

    /** Writes what waits, in one gathering write; on the loop's thread only. */
    void writeOut() {
        ByteBuffer[] batch;
        synchronized (this) {
            lingering = false;
            scheduled = false;
            if (writing || queued == 0) {
                return; // a write under way schedules the next when it ends
            }
            // The socket keeps the array until the write ends, so it gets one of its own.
            int count = Math.min(queued, MOST_PER_WRITE);
            batch = Arrays.copyOf(queue, count);
            if (count == queued) {
                if (queue.length >= SHRINK_FROM && count < queue.length / 4) {
                    queue = new ByteBuffer[INITIAL_QUEUE];
                } else {
                    Arrays.fill(queue, 0, count, null);
                }
                queued = 0;
            } else {
                System.arraycopy(queue, count, queue, 0, queued - count);
                Arrays.fill(queue, queued - count, queued, null);
                queued -= count;
            }
            writing = true;
        }
        long bytes = 0;
        boolean closes = false;
        ByteBuffer close = closeFrame;
        for (ByteBuffer frame : batch) {
            bytes += frame.remaining();
            closes |= frame == close;
        }
        writtenNanos = System.nanoTime();
        socket.write(new Written(bytes, closes), batch);
    }

    /** The end of one write. */
    private final class Written implements Callback {

        private final long bytes;
        private final boolean closes;

        Written(long bytes, boolean closes) {
            this.bytes = bytes;
            this.closes = closes;
        }

        @Override
        public void succeeded() {
            boolean more;
            synchronized (SessionOutbox.this) {
                pendingBytes -= bytes;
                progressNanos = System.nanoTime();
                writing = false;
                more = queued > 0;
            }
            if (closes) {
                socket.closeWritten();
            } else if (more) {
                schedule();
            }
        }

        @Override
        public void failed(Throwable failure) {
            closing = true;
            synchronized (SessionOutbox.this) {
                pendingBytes -= bytes;
                writing = false;
                clearQueue();
            }
            socket.writeFailed(failure);
        }
    }

    /** Bytes queued here or being written, not yet written. */
    long queuedBytes() {
        return pendingBytes;
    }

    /** Whether bytes have waited longer than {@code timeoutNanos} with none written. */
    boolean stalled(long nowNanos, long timeoutNanos) {
        return pendingBytes > 0 && nowNanos - progressNanos > timeoutNanos;
    }

    /**
     * Ends the connection for {@code reason}: after the frames already queued (so a client
     * learns why, e.g. the rate-limit notice before 1008), except for a slow reader, a peer
     * that answers no ping and a replaced session, whose queue is dropped
     * ({@link CloseCode#dropsQueue}). When the peer ended the connection already, only stops
     * taking frames.
     */
    @Override
    public void close(Departure reason) {
        if (!end(reason)) {
            return;
        }
        CloseCode code = CloseCode.of(reason);
        if (code == null) {
            synchronized (this) {
                clearQueue();
            }
        } else if (code.dropsQueue()) {
            drop(code.code(), code.reason());
        } else {
            closeAfterQueue(code.code(), code.reason());
        }
    }

    /**
     * Sends a close frame with this code after what is queued, and takes no more frames: the
     * answer to a client's close, or a close that is no departure from the room (a node that
     * is full). The departure, if any, is told apart, by {@link #close(Departure)}.
     */
    void close(int code, String reason) {
        closeAfterQueue(code, reason);
    }

    /** Decides why the connection ends, if nothing decided it before; false if something did. */
    private boolean end(Departure reason) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        closing = true;
        metrics.closed(reason);
        return true;
    }

    private void closeAfterQueue(int code, String reason) {
        if (!closeQueued.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        socket.closing(new org.springframework.web.socket.CloseStatus(code, reason));
        ByteBuffer frame = closeFrame(code, reason);
        closeFrame = frame;
        synchronized (this) {
            enqueue(frame);
        }
        schedule();
    }

    /**
     * Drops what is queued and sends the close behind whatever is being written; a peer that
     * reads nothing (or is gone) will not answer the close handshake, so after a grace period
     * the socket is dropped.
     */
    private void drop(int code, String reason) {
        ByteBuffer queuedClose = closeFrame;
        synchronized (this) {
            clearQueue();
            if (queuedClose != null) {
                enqueue(queuedClose); // a close already on its way goes all the same
            }
        }
        if (queuedClose != null) {
            schedule();
        } else {
            closeAfterQueue(code, reason);
        }
        timer.schedule(socket::abort, Instant.now().plus(CUT_OFF_GRACE));
    }

    /** A close frame: its code, then its reason in UTF-8 (at most 123 bytes, as a control frame allows). */
    static ByteBuffer closeFrame(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = 2 + Math.min(text.length, 123);
        byte[] frame = new byte[2 + length];
        Frame.writeHeader(frame, 0x8, length);
        frame[2] = (byte) (code >>> 8);
        frame[3] = (byte) code;
        System.arraycopy(text, 0, frame, 4, length - 2);
        return ByteBuffer.wrap(frame);
    }

    /** A pong carrying the ping's payload. */
    static ByteBuffer pongFrame(byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        Frame.writeHeader(frame, 0xA, payload.length);
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return ByteBuffer.wrap(frame);
    }
}
