package org.tertulia.web;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.tertulia.protocol.CloseCode;
import org.tertulia.room.Frame;
import org.tertulia.room.Outbox;

/**
 * The outbox of one WebSocket connection: a queue bounded in bytes, drained by
 * non-blocking writes, one at a time, in order. A connection that falls too far behind
 * (too many bytes queued) or whose write takes too long (the container's send timeout)
 * is cut off; nobody else ever waits for it.
 */
final class SessionOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(SessionOutbox.class);

    private static final int IDLE = 0;
    private static final int ACTIVE = 1;

    private final WebSocketSession session;
    private final RemoteEndpoint.Async remote;
    private final long maxQueuedBytes;
    private final Executor closer;

    private final ConcurrentLinkedQueue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** The code to close with, once a close is asked for; from then on nothing more is queued. */
    private final AtomicReference<CloseCode> closing = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    SessionOutbox(WebSocketSession session, RemoteEndpoint.Async remote, long maxQueuedBytes, Executor closer) {
        this.session = session;
        this.remote = remote;
        this.maxQueuedBytes = maxQueuedBytes;
        this.closer = closer;
    }

    @Override
    public boolean offer(Frame frame) {
        if (closing.get() != null) {
            return false;
        }
        if (queuedBytes.addAndGet(frame.bytes()) > maxQueuedBytes) {
            queuedBytes.addAndGet(-frame.bytes());
            close(CloseCode.SLOW_READER);
            return false;
        }
        queue.add(frame);
        return state.get() == IDLE && state.compareAndSet(IDLE, ACTIVE);
    }

    @Override
    public void flush() {
        writeNext();
    }

    /** Bytes waiting or being written; for idle checks. */
    boolean idle() {
        return state.get() == IDLE;
    }

    private void writeNext() {
        while (true) {
            Frame frame = queue.poll();
            if (frame == null) {
                state.set(IDLE);
                if (closing.get() != null) {
                    closeNow(); // everything queued before the close is written
                    return;
                }
                // An offer may have queued a frame after the poll but seen ACTIVE: take it over.
                if (queue.isEmpty() || !state.compareAndSet(IDLE, ACTIVE)) {
                    return;
                }
                continue;
            }
            Write write = new Write(frame);
            try {
                remote.sendText(frame.json(), write);
            } catch (RuntimeException e) {
                // The container refuses writes once the session is closing or closed.
                write.onResult(new SendResult(e));
            }
            if (write.detach()) {
                return; // the write completes later and continues the chain itself
            }
        }
    }

    /**
     * Closes the connection with {@code code}: at once for a slow reader (what is queued
     * could not be written anyway), otherwise after the frames already queued, such as the
     * error that explains the close, each write bounded by the send timeout.
     */
    @Override
    public void close(CloseCode code) {
        if (!closing.compareAndSet(null, code)) {
            return;
        }
        if (code == CloseCode.SLOW_READER) {
            queue.clear();
            queuedBytes.set(0);
            closeNow();
        } else if (state.compareAndSet(IDLE, ACTIVE)) {
            // Nothing is being written: drain (and close) off the caller's thread, which may hold the room's lock.
            closer.execute(this::writeNext);
        }
        // Otherwise the write in flight carries on through the queue and closes when it is empty.
    }

    private void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CloseCode code = closing.get();
        closer.execute(() -> {
            try {
                session.close(new CloseStatus(code.code(), code.reason()));
            } catch (IOException | RuntimeException e) {
                log.debug("closing {} with {} failed: {}", session.getId(), code, e.toString());
            }
        });
    }

    /**
     * One frame's write. The container may report completion on the calling thread,
     * before sendText returns: then the caller's loop goes on (no recursion, however long
     * the queue); otherwise the completion continues the chain.
     */
    private final class Write implements SendHandler {

        private static final int PENDING = 0;
        private static final int DETACHED = 1;
        private static final int DONE_INLINE = 2;

        private final Frame frame;
        private final AtomicInteger phase = new AtomicInteger(PENDING);

        Write(Frame frame) {
            this.frame = frame;
        }

        @Override
        public void onResult(SendResult result) {
            queuedBytes.addAndGet(-frame.bytes());
            if (!result.isOK()) {
                log.debug("write to {} failed: {}", session.getId(), String.valueOf(result.getException()));
                closing.compareAndSet(null, CloseCode.SLOW_READER);
                queue.clear();
                queuedBytes.set(0);
                state.set(IDLE);
                phase.set(DETACHED); // stop the caller's loop too
                closeNow(); // even when a close was waiting for the queue to drain
                return;
            }
            if (!phase.compareAndSet(PENDING, DONE_INLINE)) {
                writeNext();
            }
        }

        /** True when the write is still in flight: its completion will carry on. */
        boolean detach() {
            return phase.compareAndSet(PENDING, DETACHED) || phase.get() == DETACHED;
        }
    }
}
