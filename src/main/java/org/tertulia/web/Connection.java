package org.tertulia.web;

import org.springframework.web.socket.WebSocketSession;
import org.tertulia.room.Member;

/** One open WebSocket: its session, its outbox, its member in the room, and when it was last heard. */
final class Connection {

    private final WebSocketSession session;
    private final SessionOutbox outbox;
    private volatile Member member;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long pingSentNanos;

    Connection(WebSocketSession session, SessionOutbox outbox) {
        this.session = session;
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

    /** Pings the peer; the ping joins the outbox's flusher queue and never blocks. */
    void ping(long nowNanos) {
        outbox.ping();
        pingSentNanos = nowNanos;
    }
}
