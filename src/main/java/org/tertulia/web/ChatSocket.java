package org.tertulia.web;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.tertulia.room.Departure;

/**
 * One WebSocket connection on Jetty's socket, after the upgrade: reads the client's frames
 * ({@link FrameReader}) on Jetty's threads and hands whole messages to the Spring
 * {@link WebSocketHandler}; writes go through its {@link SessionOutbox}. It answers pings,
 * carries out the close handshake either way, and tells the handler once, at the end, how
 * the connection closed.
 */
final class ChatSocket extends AbstractConnection implements Connection.UpgradeTo, FrameReader.Listener {

    private static final Logger log = LoggerFactory.getLogger(ChatSocket.class);
    /** How long a client has to answer our close frame before its socket is closed anyway. */
    private static final Duration CLOSE_HANDSHAKE = Duration.ofSeconds(2);
    private static final int READ_BUFFER = 4_096;

    private final ByteBufferPool pool;
    private final WebSocketHandler handler;
    private final ChatSocketSession session;
    private final TaskScheduler timer;
    private final Executor tasks;
    private final FrameReader reader;
    private SessionOutbox outbox;
    private ByteBuffer upgradeBytes;
    // Reading stops being useful after a close or a violation, but the socket is still read (and
    // what comes discarded) until the handshake ends, so the client gets our close, not a reset.
    private boolean discarding;
    private volatile boolean closeReceived;
    private volatile boolean closeWritten;
    private volatile CloseStatus status;
    private final AtomicBoolean finished = new AtomicBoolean();

    ChatSocket(EndPoint endPoint, Executor executor, ByteBufferPool pool, WebSocketHandler handler,
            ChatSocketSession session, long maxMessageBytes, TaskScheduler timer, Executor tasks) {
        super(endPoint, executor);
        this.pool = pool;
        this.handler = handler;
        this.session = session;
        this.timer = timer;
        this.tasks = tasks;
        this.reader = new FrameReader(maxMessageBytes, this);
    }

    void outbox(SessionOutbox outbox) {
        this.outbox = outbox;
    }

    SessionOutbox outbox() {
        return outbox;
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // Bytes the client sent right behind its handshake, read already by the HTTP connection.
        if (BufferUtil.hasContent(buffer)) {
            upgradeBytes = BufferUtil.copy(buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        try {
            handler.afterConnectionEstablished(session);
        } catch (Exception e) {
            log.debug("the handler refused the connection: {}", e.toString());
            abort();
            return;
        }
        if (upgradeBytes != null) {
            ByteBuffer early = upgradeBytes;
            upgradeBytes = null;
            consume(early);
        }
        fillInterested();
    }

    @Override
    public void onFillable() {
        RetainableByteBuffer buffer = pool.acquire(READ_BUFFER, false);
        try {
            ByteBuffer bytes = buffer.getByteBuffer();
            while (true) {
                BufferUtil.clear(bytes);
                int read = getEndPoint().fill(bytes);
                if (read > 0) {
                    consume(bytes);
                } else if (read == 0) {
                    fillInterested();
                    return;
                } else {
                    onEndOfInput();
                    return;
                }
            }
        } catch (Throwable failure) {
            log.debug("reading failed: {}", failure.toString());
            abort();
        } finally {
            buffer.release();
        }
    }

    private void consume(ByteBuffer bytes) {
        if (!discarding) {
            discarding = !reader.read(bytes);
        }
        bytes.position(bytes.limit());
    }

    @Override
    public void onText(String text) {
        deliver(() -> handler.handleMessage(session, new TextMessage(text)));
    }

    @Override
    public void onBinary() {
        deliver(() -> handler.handleMessage(session, new BinaryMessage(new byte[0])));
    }

    @Override
    public void onPing(byte[] payload) {
        outbox.control(SessionOutbox.pongFrame(payload));
    }

    @Override
    public void onPong() {
        deliver(() -> handler.handleMessage(session, new PongMessage()));
    }

    /** The client closes: we answer with its code (once), and the socket closes when ours is written. */
    @Override
    public void onClose(int code, String reason) {
        reader.release();
        if (status == null) {
            status = code == 1005 ? CloseStatus.NO_STATUS_CODE : new CloseStatus(code, reason);
        }
        closeReceived = true;
        if (closeWritten) {
            getEndPoint().close();
        } else {
            outbox.close(code == 1005 ? 1000 : code, "");
        }
    }

    @Override
    public void onViolation(int code, String reason) {
        reader.release();
        deliver(() -> handler.handleTransportError(session, new TransportTrouble(departureFor(code), reason)));
    }

    private static Departure departureFor(int code) {
        return switch (code) {
            case FrameReader.TOO_BIG -> Departure.TOO_BIG;
            case FrameReader.INVALID_TEXT -> Departure.INVALID_TEXT;
            default -> Departure.PROTOCOL_ERROR;
        };
    }

    /** The outbox found the client cannot keep up; the handler hears of it on another thread. */
    void cutOff(Departure why) {
        tasks.execute(() -> deliver(() -> handler.handleTransportError(session, new TransportTrouble(why, "cut off"))));
    }

    private void deliver(HandlerCall call) {
        try {
            call.run();
        } catch (Exception e) {
            log.error("the handler failed on {}", session.getId(), e);
        }
    }

    @FunctionalInterface
    private interface HandlerCall {
        void run() throws Exception;
    }

    void write(Callback callback, ByteBuffer... buffers) {
        getEndPoint().write(callback, buffers);
    }

    /** Our close frame is written: nothing more goes out; the socket closes once the client answers (or does not). */
    void closeWritten() {
        closeWritten = true;
        if (closeReceived) {
            getEndPoint().close();
            return;
        }
        getEndPoint().shutdownOutput();
        timer.schedule(this::abort, Instant.now().plus(CLOSE_HANDSHAKE));
    }

    /** What {@link SessionOutbox#close} sent, as the handler will hear it at the end. */
    void closing(CloseStatus ours) {
        if (status == null) {
            status = ours;
        }
    }

    void writeFailed(Throwable failure) {
        log.debug("write failed on {}: {}", session.getId(), failure.toString());
        abort();
    }

    /** Drops the connection at once. */
    void abort() {
        getEndPoint().close();
    }

    private void onEndOfInput() {
        if (closeWritten || closeReceived) {
            getEndPoint().close();
        } else {
            abort();
        }
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        // The heartbeat judges liveness long before this; this only backs it up.
        abort();
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        reader.release();
        if (finished.compareAndSet(false, true)) {
            CloseStatus how = status == null ? CloseStatus.NO_CLOSE_FRAME : status;
            session.closed(how);
            deliver(() -> handler.afterConnectionClosed(session, how));
        }
    }
}
