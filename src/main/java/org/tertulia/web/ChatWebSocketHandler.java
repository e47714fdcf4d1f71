package org.tertulia.web;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.eclipse.jetty.websocket.core.CoreSession;
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
    private final Executor writers;
    private final long maxFrameBytes;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    ChatWebSocketHandler(ChatRoom room, TertuliaProperties properties, Executor writers) {
        this.room = room;
        this.properties = properties;
        this.writers = writers;
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
        SessionOutbox outbox = new SessionOutbox(coreSession(session), properties.outbox().maxQueued().toBytes(),
                writers);
        Connection connection = new Connection(session, outbox);
        outbox.onCutOff(() -> release(connection));
        session.getAttributes().put(CONNECTION, connection);
        connections.put(session.getId(), connection);
        connection.member(room.join(outbox));
        // The peer may be gone already (the id frame's write failed and closed the session):
        // then afterConnectionClosed may have run before the member existed.
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
        if (utf8Length(message.getPayload(), maxFrameBytes) > maxFrameBytes) {
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
