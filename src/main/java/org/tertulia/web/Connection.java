package org.tertulia.web;

import java.nio.ByteBuffer;

import jakarta.websocket.Session;

import org.springframework.web.socket.WebSocketSession;
import org.tertulia.room.Member;

/** One open WebSocket: its session, its outbox, its member in the room, and when it was last heard. */
final class Connection {

    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final WebSocketSession session;
    private final Session nativeSession;
    private final SessionOutbox outbox;
    private volatile Member member;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long pingSentNanos;

    Connection(WebSocketSession session, Session nativeSession, SessionOutbox outbox) {
        this.session = session;
        this.nativeSession = nativeSession;
        this.outbox = outbox;
    }

    Member member() {
        return member;
    }

    void member(Member member) {
        this.member = member;
    }

    SessionOutbox outbox() {
        return outbox;
    }

    WebSocketSession session() {
        return session;
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
        pingSentNanos = 0;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    long pingSentNanos() {
        return pingSentNanos;
    }

    /**
     * Pings the peer. Only when nothing is being written to it, so the write cannot
     * wait behind a full socket buffer; a stalled socket is the outbox's to cut off.
     */
    void ping(long nowNanos) {
        if (!outbox.idle()) {
            return;
        }
        try {
            nativeSession.getAsyncRemote().sendPing(PING.duplicate());
            pingSentNanos = nowNanos;
        } catch (Exception e) {
            // Closing already; the close callback cleans up.
        }
    }
}
