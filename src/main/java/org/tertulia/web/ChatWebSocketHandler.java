package org.tertulia.web;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import jakarta.websocket.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.tertulia.TertuliaProperties;
import org.tertulia.protocol.CloseCode;
import org.tertulia.room.ChatRoom;
import org.tertulia.room.Member;

/**
 * The WebSocket face of the room: a frame in goes to the room as text, the room's
 * frames go out through each connection's {@link SessionOutbox}. Thin on purpose.
 */
final class ChatWebSocketHandler extends AbstractWebSocketHandler implements SubProtocolCapable {

    private static final Logger log = LoggerFactory.getLogger(ChatWebSocketHandler.class);
    private static final String CONNECTION = Connection.class.getName();

    private final ChatRoom room;
    private final TertuliaProperties properties;
    private final Executor closer;
    private final long maxFrameBytes;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    ChatWebSocketHandler(ChatRoom room, TertuliaProperties properties, Executor closer) {
        this.room = room;
        this.properties = properties;
        this.closer = closer;
        this.maxFrameBytes = properties.maxFrameSize().toBytes();
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of("json");
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        if (connections.size() >= properties.maxConnections()) {
            session.close(new CloseStatus(CloseCode.TRY_AGAIN_LATER.code(), CloseCode.TRY_AGAIN_LATER.reason()));
            return;
        }
        Session nativeSession = ((NativeWebSocketSession) session).getNativeSession(Session.class);
        nativeSession.getAsyncRemote().setSendTimeout(properties.outbox().sendTimeout().toMillis());
        SessionOutbox outbox = new SessionOutbox(session, nativeSession.getAsyncRemote(),
                properties.outbox().maxQueued().toBytes(), closer);
        Connection connection = new Connection(session, nativeSession, outbox);
        session.getAttributes().put(CONNECTION, connection);
        connections.put(session.getId(), connection);
        connection.member(room.join(outbox));
        // The peer may be gone already (the id frame's write failed and closed the session):
        // then afterConnectionClosed may have run before the member existed, or may never run
        // (Tomcat does not report the close of a session closed while still opening).
        if (!session.isOpen() || !connections.containsKey(session.getId())) {
            release(connection);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connection(session);
        if (connection == null) {
            return;
        }
        connection.heard();
        // The container bounds a text message in UTF-16 units, which lets a frame of
        // multi-byte characters reach three times the limit in bytes: the limit is bytes.
        if (utf8Length(message.getPayload()) > maxFrameBytes) {
            connection.outbox().close(CloseCode.TOO_BIG);
            return;
        }
        try {
            room.receive(connection.member(), message.getPayload());
        } catch (RuntimeException e) {
            // A fault in one frame costs that frame, never the connection or the room.
            log.error("frame from {} failed", connection.member(), e);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        Connection connection = connection(session);
        if (connection != null) {
            connection.outbox().close(CloseCode.UNSUPPORTED_DATA);
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
            release(connection);
        }
    }

    /**
     * Forgets a connection that is closed or closing: out of the open set, its member out of
     * the room. Idempotent; called on the close callback, and by the heartbeat for sessions
     * whose close callback is late or never comes.
     */
    void release(Connection connection) {
        connections.remove(connection.session().getId(), connection);
        Member member = connection.member();
        if (member != null) {
            room.leave(member);
        }
    }

    /** Open connections, for the cap, the heartbeat and shutdown. */
    Collection<Connection> connections() {
        return connections.values();
    }

    /** Bytes {@code s} takes in UTF-8, without encoding it. */
    static long utf8Length(CharSequence s) {
        long bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
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

    private static Connection connection(WebSocketSession session) {
        return (Connection) session.getAttributes().get(CONNECTION);
    }
}
