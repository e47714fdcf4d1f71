package org.tertulia.web;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tertulia.protocol.CloseCode;
import org.tertulia.room.Frame;
import org.tertulia.room.Outbox;

/**
 * The outbox of one WebSocket connection. Frames wait in a queue bounded in bytes; a drain,
 * run on a writer thread rather than the broadcaster's, hands everything queued by then to
 * the connection's frame flusher at once, all but the last marked for batching, so the
 * frames of many broadcasts leave in one write instead of one system call each. Nothing
 * here blocks: a connection that falls too far behind (too many bytes not yet written) is
 * cut off at once, and one that makes no progress for the send timeout is cut off by the
 * heartbeat ({@link #stalled}).
 */
final class SessionOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(SessionOutbox.class);

    private static final int IDLE = 0;
    private static final int ACTIVE = 1;
    private static final long SLOW_READER_GRACE_MILLIS = 2_000;

    private final CoreSession session;
    private final long maxQueuedBytes;
    private final Executor writers;

    private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
    // Bytes queued here or handed to the flusher and not yet written.
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private volatile CloseCode pendingClose;
    private volatile long progressNanos = System.nanoTime();
    private volatile Runnable cutOff = () -> { };

    SessionOutbox(CoreSession session, long maxQueuedBytes, Executor writers) {
        this.session = session;
        this.maxQueuedBytes = maxQueuedBytes;
        this.writers = writers;
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
            close(CloseCode.SLOW_READER);
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

    /** What to do when the connection is cut off (slow reader, no pong), before its socket is gone. */
    void onCutOff(Runnable action) {
        this.cutOff = action;
    }

    /** Whether bytes have waited longer than {@code timeoutNanos} with none written. */
    boolean stalled(long nowNanos, long timeoutNanos) {
        return pendingBytes.get() > 0 && nowNanos - progressNanos > timeoutNanos;
    }

    void ping() {
        session.sendFrame(new org.eclipse.jetty.websocket.core.Frame(OpCode.PING), Callback.NOOP, false);
    }

    /**
     * Closes after the frames already queued (so a client learns why, e.g. the rate-limit
     * notice before 1008), except for a slow reader or a peer that answers no ping: its
     * queue is dropped, it leaves the room at once, the close frame goes out behind whatever
     * the flusher still holds, and after a grace period the connection is dropped.
     */
    @Override
    public void close(CloseCode code) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (code == CloseCode.SLOW_READER || code == CloseCode.UNRESPONSIVE) {
            queue.clear();
            // Out of the room now: a peer that reads nothing (or is gone) will not answer the
            // close handshake, its socket may take the grace period to go, and nobody should
            // see a user in the list who receives nothing. Not on this thread, which may hold
            // the room's lock.
            writers.execute(cutOff);
            if (closeSent.compareAndSet(false, true)) {
                session.close(code.code(), code.reason(), Callback.NOOP);
            }
            CompletableFuture.delayedExecutor(SLOW_READER_GRACE_MILLIS, TimeUnit.MILLISECONDS, writers)
                    .execute(session::abort);
            return;
        }
        pendingClose = code;
        if (state.get() == IDLE && state.compareAndSet(IDLE, ACTIVE)) {
            flush();
        }
    }
}
