package org.tertulia.web;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.tertulia.protocol.ClientMessage;
import org.tertulia.protocol.JsonCodec;
import org.tertulia.room.Departure;
import org.tertulia.room.RoomCommands;

/**
 * The WebSocket face of the room: a message in is decoded and handed to the room; the room's
 * frames go out through each connection's {@link SessionOutbox}. Thin on purpose: the
 * transport ({@link ChatSocket}) has checked the frames, their size included.
 */
@Component
final class ChatWebSocketHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    private static final Logger log = LoggerFactory.getLogger(ChatWebSocketHandler.class);
    private static final String CONNECTION = Connection.class.getName();

    private final RoomCommands room;
    private final JsonCodec codec;
    private final OpenConnections open;
    private final WebMetrics metrics;
    private final int maxConnections;
    private final ConnectionLog connectionLog;

    @Autowired
    ChatWebSocketHandler(RoomCommands room, JsonCodec codec, OpenConnections open, WebMetrics metrics,
            WebProperties settings) {
        this(room, codec, open, metrics, settings, ConnectionLog.NODE);
    }

    /** A handler for the connections of {@code room}, logged by {@code log}. */
    ChatWebSocketHandler(RoomCommands room, JsonCodec codec, OpenConnections open, WebMetrics metrics,
            WebProperties settings, ConnectionLog log) {
        this.connectionLog = log;
        this.room = room;
        this.codec = codec;
        this.open = open;
        this.metrics = metrics;
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
            connectionLog.refusedFull(String.valueOf(from));
            CloseCode full = CloseCode.TRY_AGAIN_LATER;
            session.close(new CloseStatus(full.code(), full.reason()));
            return;
        }
        Connection connection = new Connection(session, String.valueOf(from));
        connection.outbox(((ChatSocketSession) session).outbox());
        session.getAttributes().put(CONNECTION, connection);
        open.add(connection);
        connection.member(room.join(connection.outbox()));
        connectionLog.opened(connection.member().connection(), connection.from());
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

    /** The transport found the client broke the protocol or cannot keep up: it goes, for that reason. */
    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        Connection connection = connection(session);
        if (exception instanceof TransportTrouble trouble && connection != null) {
            open.depart(connection, trouble.departure());
        } else {
            log.debug("transport error on {}: {}", session.getId(), exception.toString());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection connection = connection(session);
        if (connection != null) {
            if (connection.member() != null) {
                connectionLog.closed(connection.member().connection(), connection.from(), status,
                        connection.openedNanos());
            }
            open.depart(connection, departure(status));
        }
    }

    /**
     * Why a connection that closed with {@code status} left: the client said goodbye with a
     * close frame, or the connection broke without one (null: not known to have closed).
     */
    static Departure departure(CloseStatus status) {
        return status == null || status.getCode() == CloseStatus.NO_CLOSE_FRAME.getCode() ? Departure.LOST
                : Departure.LEFT;
    }

    private static Connection connection(WebSocketSession session) {
        return (Connection) session.getAttributes().get(CONNECTION);
    }
}
