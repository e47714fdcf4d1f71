package org.tertulia.web;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.tertulia.protocol.Frame;
import org.tertulia.room.Departure;
import org.tertulia.room.Outbox;

/**
 * The outbox of one WebSocket connection. Frames wait in a queue bounded in bytes; a drain,
 * run on a writer thread rather than the broadcaster's, hands everything queued by then to
 * the connection's frame flusher at once, all but the last marked for batching, so the
 * frames of many broadcasts leave in one write instead of one system call each. Nothing
 * here blocks: a connection that falls too far behind (too many bytes not yet written) is
 * cut off at once and reported as a slow reader; one that makes no progress for the send
 * timeout is found by the heartbeat ({@link #stalled}).
 */
final class SessionOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(SessionOutbox.class);

    private static final int IDLE = 0;
    private static final int ACTIVE = 1;
    /** How long a connection cut off for not reading has to take its close frame before its socket is dropped. */
    private static final Duration CUT_OFF_GRACE = Duration.ofSeconds(2);

    private final CoreSession session;
    private final long maxQueuedBytes;
    private final Executor writers;
    private final TaskScheduler timer;
    private final WebMetrics metrics;
    private final Consumer<Departure> cutOff;

    private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
    // Bytes queued here or handed to the flusher and not yet written.
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    // No more offers: the connection is ending (a close was asked for, or a write failed).
    private final AtomicBoolean closing = new AtomicBoolean();
    // Why it ends was decided (and counted): the first reason wins.
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private volatile CloseCode pendingClose;
    private volatile long progressNanos = System.nanoTime();

    /** {@code cutOff} hears, on a writer thread, that this outbox ended its connection by itself. */
    SessionOutbox(CoreSession session, long maxQueuedBytes, Executor writers, TaskScheduler timer, WebMetrics metrics,
            Consumer<Departure> cutOff) {
        this.session = session;
        this.maxQueuedBytes = maxQueuedBytes;
        this.writers = writers;
        this.timer = timer;
        this.metrics = metrics;
        this.cutOff = cutOff;
    }

    @Override
    public boolean offer(Frame frame) {
        if (closing.get()) {
            return false;
        }
        long before = pendingBytes.getAndAdd(frame.bytes());
        if (before == 0) {
            progressNanos = System.nanoTime();
        }
        if (before + frame.bytes() > maxQueuedBytes) {
            pendingBytes.addAndGet(-frame.bytes());
            // The caller may hold the room's lock: the room hears of it on another thread.
            if (end(Departure.SLOW_READER)) {
                drop(CloseCode.SLOW_READER);
                writers.execute(() -> cutOff.accept(Departure.SLOW_READER));
            }
            return false;
        }
        queue.add(frame);
        return state.get() == IDLE && state.compareAndSet(IDLE, ACTIVE);
    }

    @Override
    public void flush() {
        writers.execute(this::drain);
    }

    private void drain() {
        while (true) {
            if (closeSent.get()) {
                // An offer that raced with close() may have queued a frame after the close
                // went out: nothing may follow a close frame.
                queue.clear();
                state.set(IDLE);
                return;
            }
            Frame frame = queue.poll();
            long bytes = 0;
            while (frame != null) {
                Frame next = queue.poll();
                bytes += frame.bytes();
                if (next == null) {
                    // Frames complete in order: the last one's success accounts for the whole batch.
                    long batch = bytes;
                    send(frame, Callback.from(() -> written(batch), this::failed), false);
                } else {
                    send(frame, Callback.NOOP, true);
                }
                frame = next;
            }
            CloseCode close = pendingClose;
            if (close != null && closeSent.compareAndSet(false, true)) {
                session.close(close.code(), close.reason(), Callback.NOOP);
            }
            state.set(IDLE);
            // An offer may have queued a frame after the last poll but seen ACTIVE: take it over.
            if (queue.isEmpty() || !state.compareAndSet(IDLE, ACTIVE)) {
                return;
            }
        }
    }

    private void send(Frame frame, Callback callback, boolean batch) {
        // Each recipient gets its own view of the shared bytes: the flusher moves the position.
        session.sendFrame(new org.eclipse.jetty.websocket.core.Frame(OpCode.TEXT, ByteBuffer.wrap(frame.utf8())),
                callback, batch);
    }

    private void written(long bytes) {
        pendingBytes.addAndGet(-bytes);
        progressNanos = System.nanoTime();
    }

    private void failed(Throwable failure) {
        closing.set(true);
        queue.clear();
        if (closeSent.get()) {
            // Writes still pending when the close went out fail with it: the close handshake
            // is under way, and dropping the connection now would lose the close frame.
            return;
        }
        log.debug("write failed, dropping the connection: {}", failure.toString());
        session.abort();
    }

    /** Bytes queued here or handed to the flusher and not yet written. */
    long queuedBytes() {
        return pendingBytes.get();
    }

    /** Whether bytes have waited longer than {@code timeoutNanos} with none written. */
    boolean stalled(long nowNanos, long timeoutNanos) {
        return pendingBytes.get() > 0 && nowNanos - progressNanos > timeoutNanos;
    }

    /** Pings the peer; the ping joins the flusher's queue and never blocks. */
    void ping() {
        session.sendFrame(new org.eclipse.jetty.websocket.core.Frame(OpCode.PING), Callback.NOOP, false);
    }

    /**
     * Ends the connection for {@code reason}: after the frames already queued (so a client
     * learns why, e.g. the rate-limit notice before 1008), except for a slow reader or a peer
     * that answers no ping, whose queue is dropped ({@link CloseCode#dropsQueue}). When the
     * peer ended the connection already, only stops taking frames.
     */
    @Override
    public void close(Departure reason) {
        if (!end(reason)) {
            return;
        }
        CloseCode code = CloseCode.of(reason);
        if (code == null) {
            queue.clear();
        } else if (code.dropsQueue()) {
            drop(code);
        } else {
            pendingClose = code;
            if (state.get() == IDLE && state.compareAndSet(IDLE, ACTIVE)) {
                flush();
            }
        }
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

    /**
     * Drops what is queued and sends the close behind whatever the flusher still holds; a
     * peer that reads nothing (or is gone) will not answer the close handshake, so after a
     * grace period the socket is dropped.
     */
    private void drop(CloseCode code) {
        queue.clear();
        if (closeSent.compareAndSet(false, true)) {
            session.close(code.code(), code.reason(), Callback.NOOP);
        }
        timer.schedule(session::abort, Instant.now().plus(CUT_OFF_GRACE));
    }
}
