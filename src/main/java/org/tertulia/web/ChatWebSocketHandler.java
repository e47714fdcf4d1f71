package org.tertulia.web;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;

import org.eclipse.jetty.websocket.core.CoreSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.tertulia.protocol.ClientMessage;
import org.tertulia.protocol.JsonCodec;
import org.tertulia.room.Departure;
import org.tertulia.room.RoomCommands;

/**
 * The WebSocket face of the room: a frame in is checked for size, decoded and handed to the
 * room; the room's frames go out through each connection's {@link SessionOutbox}. Thin on purpose.
 */
@Component
final class ChatWebSocketHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    private static final Logger log = LoggerFactory.getLogger(ChatWebSocketHandler.class);
    private static final String CONNECTION = Connection.class.getName();

    private final RoomCommands room;
    private final JsonCodec codec;
    private final OpenConnections open;
    private final WebMetrics metrics;
    private final Executor writers;
    private final TaskScheduler timer;
    private final long maxFrameBytes;
    private final long maxQueuedBytes;
    private final int maxConnections;

    ChatWebSocketHandler(RoomCommands room, JsonCodec codec, OpenConnections open, WebMetrics metrics,
            WebProperties settings, @Qualifier("wsWriters") Executor writers,
            @Qualifier("webScheduler") TaskScheduler timer) {
        this.room = room;
        this.codec = codec;
        this.open = open;
        this.metrics = metrics;
        this.writers = writers;
        this.timer = timer;
        this.maxFrameBytes = settings.maxFrameSize().toBytes();
        this.maxQueuedBytes = settings.outbox().maxQueued().toBytes();
        this.maxConnections = settings.maxConnections();
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of("json");
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        Object from = session.getAttributes().get(ClientAddresses.ATTRIBUTE);
        if (open.size() >= maxConnections) {
            metrics.closedFull();
            ConnectionLog.refusedFull(String.valueOf(from));
            CloseCode full = CloseCode.TRY_AGAIN_LATER;
            session.close(new CloseStatus(full.code(), full.reason()));
            return;
        }
        Connection connection = new Connection(session, String.valueOf(from));
        connection.outbox(new SessionOutbox(coreSession(session), maxQueuedBytes, writers, timer, metrics,
                why -> open.depart(connection, why)));
        session.getAttributes().put(CONNECTION, connection);
        open.add(connection);
        connection.member(room.join(connection.outbox()));
        ConnectionLog.opened(connection.member().connection(), connection.from());
        // The peer may be gone already (the id frame's write failed and closed the session):
        // then afterConnectionClosed may have run before the member existed.
        if (!session.isOpen() || !open.contains(connection)) {
            open.depart(connection, Departure.LOST);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connection(session);
        if (connection == null) {
            return;
        }
        connection.heard();
        if (utf8Length(message.getPayload(), maxFrameBytes) > maxFrameBytes) {
            open.depart(connection, Departure.TOO_BIG);
            return;
        }
        try {
            ClientMessage decoded = codec.read(message.getPayload());
            metrics.received(decoded);
            room.receive(connection.member(), decoded);
        } catch (RuntimeException e) {
            // A fault in one frame costs that frame, never the connection or the room.
            log.error("frame from {} failed", connection.member(), e);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        Connection connection = connection(session);
        if (connection != null) {
            open.depart(connection, Departure.UNSUPPORTED_DATA);
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        Connection connection = connection(session);
        if (connection != null) {
            connection.heard();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("transport error on {}: {}", session.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection connection = connection(session);
        if (connection != null) {
            if (connection.member() != null) {
                ConnectionLog.closed(connection.member().connection(), connection.from(), status,
                        connection.openedNanos());
            }
            open.depart(connection, status.getCode() == CloseStatus.NO_CLOSE_FRAME.getCode() ? Departure.LOST
                    : Departure.LEFT);
        }
    }

    /** Bytes {@code s} takes in UTF-8, counted no further than just past {@code limit}. */
    static long utf8Length(CharSequence s, long limit) {
        int n = s.length();
        if (n * 3L <= limit) {
            return n; // cannot be over: skip the count
        }
        long bytes = 0;
        for (int i = 0; i < n && bytes <= limit; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Jetty's session under Spring's: the outbox speaks to its frame flusher directly. */
    private static CoreSession coreSession(WebSocketSession session) {
        Object jetty = ((NativeWebSocketSession) session).getNativeSession();
        return ((org.eclipse.jetty.websocket.common.WebSocketSession) jetty).getCoreSession();
    }

    private static Connection connection(WebSocketSession session) {
        return (Connection) session.getAttributes().get(CONNECTION);
    }
}
