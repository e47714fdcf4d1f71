package org.tertulia.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.util.Callback;
import org.springframework.scheduling.TaskScheduler;
import org.tertulia.protocol.Frame;
import org.tertulia.room.Departure;
import org.tertulia.room.Outbox;

/**
 * The outbox of one WebSocket connection: frames wait in a queue bounded in bytes, each the
 * broadcast's own buffer of wire bytes (header and payload, made once for all recipients),
 * and the connection's flush loop writes all that waits in one gathering write. Nothing here
 * blocks: a connection that falls too far behind (too many bytes not yet written) is cut off
 * at once and reported as a slow reader; one that makes no progress for the send timeout is
 * found by the heartbeat ({@link #stalled}). Progress is any byte taken, also within a write:
 * one write may gather hundreds of frames, and a reader that takes them slowly but steadily
 * is slow, which is the byte bound's to judge, not stalled.
 */
final class SessionOutbox implements Outbox {

    /** Buffers one write takes at most: well under the kernel's limit for a gathering write. */
    static final int MOST_PER_WRITE = 512;
    /** Bytes waiting that make a write worth its system call, so a lingering outbox stops waiting. */
    static final int WORTH_A_WRITE = 4_096;
    /** How long a connection cut off for not reading has to take its close frame before its socket is dropped. */
    private static final Duration CUT_OFF_GRACE = Duration.ofSeconds(2);
    private static final byte[] PING = {(byte) 0x89, 0};

    private final ChatSocket socket;
    private final FlushLoops.Loop loop;
    private final long maxQueuedBytes;
    private final TaskScheduler timer;
    private final WebMetrics metrics;

    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    // Bytes of frames queued here or being written, not yet written.
    private final AtomicLong pendingBytes = new AtomicLong();
    // On the loop's list, or about to be: offers then need not put it there again.
    private final AtomicBoolean scheduled = new AtomicBoolean();
    // No more frames: the connection is ending (a close was asked for, or a write failed).
    private final AtomicBoolean closing = new AtomicBoolean();
    // Why it ends was decided (and counted): the first reason wins.
    private final AtomicBoolean ended = new AtomicBoolean();
    // A close frame is queued (or sent): there is only ever one.
    private final AtomicBoolean closeQueued = new AtomicBoolean();
    // A write is under way: only the loop starts one, and its end lets the next start.
    private volatile boolean writing;
    // The write under way, or null: what the heartbeat looks into for bytes taken so far.
    private volatile Written current;
    private volatile ByteBuffer closeFrame;
    private volatile long progressNanos = System.nanoTime();
    private volatile boolean lingering;
    private volatile long writtenNanos = System.nanoTime() - (1L << 40);
    // The audience of the frames last flushed (see Outbox#flush): what its linger follows.
    private volatile int recipients = 1;

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
        if (closing.get()) {
            return false;
        }
        long bytes = frame.wireBytes();
        long before = pendingBytes.getAndAdd(bytes);
        if (before == 0) {
            progressNanos = System.nanoTime();
        }
        if (before + bytes > maxQueuedBytes) {
            pendingBytes.addAndGet(-bytes);
            if (end(Departure.SLOW_READER)) {
                drop(CloseCode.SLOW_READER.code(), CloseCode.SLOW_READER.reason());
                // The caller may hold the room's lock: the room hears of it on another thread.
                socket.cutOff(Departure.SLOW_READER);
            }
            return false;
        }
        queue.add(frame.wire());
        if (scheduled.get()) {
            // Lingering, and already enough for a write that pays for itself: no more waiting.
            if (lingering && before + bytes >= WORTH_A_WRITE) {
                lingering = false;
                loop.promote(this);
            }
            return false;
        }
        return scheduled.compareAndSet(false, true);
    }

    @Override
    public void flush(int recipients) {
        if (this.recipients != recipients) {
            this.recipients = recipients; // a room's size changes seldom: no store per frame
        }
        loop.schedule(this);
    }

    /** Puts a frame outside the room's order (a ping, a pong) behind what waits, and has it written. */
    void control(ByteBuffer frame) {
        if (!closing.get()) {
            enqueue(frame);
            schedule();
        }
    }

    /**
     * Queues a frame that is not the room's (a ping, a pong, a close), counting its bytes as
     * pending first, as {@link #offer} does, so that the count is exactly what waits or is
     * being written: its write subtracts them again.
     */
    private void enqueue(ByteBuffer frame) {
        if (pendingBytes.getAndAdd(frame.remaining()) == 0) {
            progressNanos = System.nanoTime();
        }
        queue.add(frame);
    }

    /**
     * Drops what waits in the queue, and its bytes from the pending count; true if our close
     * frame was among what it dropped (rather than written or being written).
     */
    private boolean clearQueue() {
        long dropped = 0;
        boolean closeDropped = false;
        for (ByteBuffer frame; (frame = queue.poll()) != null; ) {
            dropped += frame.remaining();
            // Read after the poll: a close frame is set before it is queued, so this sees it.
            closeDropped |= frame == closeFrame;
        }
        pendingBytes.addAndGet(-dropped);
        return closeDropped;
    }

    void ping() {
        control(ByteBuffer.wrap(PING));
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            loop.schedule(this);
        }
    }

    /** Whether it waits for its linger to end (see {@link FlushLoops}). */
    void lingering(boolean waiting) {
        lingering = waiting;
    }

    /** The audience of the frames last flushed: the room's size, or 1. */
    int recipients() {
        return recipients;
    }

    /** When its last write started. */
    long writtenNanos() {
        return writtenNanos;
    }

    /**
     * Writes what waits, in one gathering write; on the loop's thread only, which lends its
     * {@code scratch} array (at least {@link #MOST_PER_WRITE} long) to gather the frames in.
     */
    void writeOut(ByteBuffer[] scratch) {
        lingering = false;
        scheduled.set(false);
        if (writing) {
            return; // the write under way schedules the next when it ends
        }
        int count = 0;
        long bytes = 0;
        boolean closes = false;
        for (ByteBuffer next; count < MOST_PER_WRITE && (next = queue.poll()) != null; count++) {
            scratch[count] = next;
            bytes += next.remaining();
            closes |= next == closeFrame;
        }
        if (count == 0) {
            return;
        }
        // The socket keeps the array until the write ends, so it gets one of its own.
        ByteBuffer[] batch = Arrays.copyOf(scratch, count);
        Arrays.fill(scratch, 0, count, null);
        writing = true;
        writtenNanos = System.nanoTime();
        Written write = new Written(batch, bytes, closes);
        current = write;
        socket.write(write, batch);
    }

    /** The end of one write. */
    private final class Written implements Callback {

        private final ByteBuffer[] batch;
        private final long bytes;
        private final boolean closes;
        // The heartbeat's alone: the bytes of the batch left when it last looked.
        private long leftWhenLooked;

        Written(ByteBuffer[] batch, long bytes, boolean closes) {
            this.batch = batch;
            this.bytes = bytes;
            this.closes = closes;
            this.leftWhenLooked = bytes;
        }

        /**
         * Whether the socket took bytes of this write since the last look. The socket moves
         * the buffers' positions as it writes them, on its own thread, so this reads them
         * without a lock; a read that comes too early only sees the movement at the next look.
         */
        boolean moved() {
            long left = 0;
            for (ByteBuffer buffer : batch) {
                left += buffer.remaining();
            }
            boolean moved = left < leftWhenLooked;
            leftWhenLooked = left;
            return moved;
        }

        @Override
        public void succeeded() {
            current = null;
            pendingBytes.addAndGet(-bytes);
            progressNanos = System.nanoTime();
            writing = false;
            if (closes) {
                socket.closeWritten();
            } else if (!queue.isEmpty()) {
                schedule();
            }
        }

        @Override
        public void failed(Throwable failure) {
            current = null;
            pendingBytes.addAndGet(-bytes);
            writing = false;
            closing.set(true);
            clearQueue();
            socket.writeFailed(failure);
        }
    }

    /** Bytes queued here or being written, not yet written. */
    long queuedBytes() {
        return pendingBytes.get();
    }

    /**
     * Whether bytes have waited longer than {@code timeoutNanos} with none written; for the
     * heartbeat, which calls it for each connection at every sweep, one sweep at a time. A
     * write under way that took bytes since the last sweep counts as progress now.
     */
    boolean stalled(long nowNanos, long timeoutNanos) {
        Written write = current;
        if (write != null && write.moved()) {
            progressNanos = nowNanos;
        }
        return pendingBytes.get() > 0 && nowNanos - progressNanos > timeoutNanos;
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
            clearQueue();
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
        closing.set(true);
        metrics.closed(reason);
        return true;
    }

    private void closeAfterQueue(int code, String reason) {
        if (!closeQueued.compareAndSet(false, true)) {
            return;
        }
        closing.set(true);
        socket.closing(new org.springframework.web.socket.CloseStatus(code, reason));
        ByteBuffer frame = closeFrame(code, reason);
        closeFrame = frame;
        enqueue(frame);
        schedule();
    }

    /**
     * Drops what is queued and sends the close behind whatever is being written; a peer that
     * reads nothing (or is gone) will not answer the close handshake, so after a grace period
     * the socket is dropped.
     */
    private void drop(int code, String reason) {
        boolean closeDropped = clearQueue();
        if (closeDropped) {
            enqueue(closeFrame); // a close that waited goes all the same, now first
            schedule();
        } else if (closeFrame == null) {
            closeAfterQueue(code, reason);
        } // else our close is being written, or was: it is not sent twice
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
