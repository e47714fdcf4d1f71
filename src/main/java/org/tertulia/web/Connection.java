package org.tertulia.web;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.tertulia.room.Member;

/** One open WebSocket: its session, its outbox, its member in the room, and when it was last heard. */
final class Connection {

    private final WebSocketSession session;
    private final String from;
    private final long openedNanos = System.nanoTime();
    private volatile SessionOutbox outbox;
    private volatile Member member;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long pingSentNanos;

    Connection(WebSocketSession session, String from) {
        this.session = session;
        this.from = from;
    }

    /** Where the connection comes from, as the log says it. */
    String from() {
        return from;
    }

    long openedNanos() {
        return openedNanos;
    }

    WebSocketSession session() {
        return session;
    }

    /** How the connection closed, as its close callback tells it; null while open (or not known). */
    CloseStatus closedWith() {
        return session instanceof ChatSocketSession socket ? socket.closedWith() : null;
    }

    String id() {
        return session.getId();
    }

    SessionOutbox outbox() {
        return outbox;
    }

    void outbox(SessionOutbox outbox) {
        this.outbox = outbox;
    }

    /** The room's member for this connection; null until the room has taken it in. */
    Member member() {
        return member;
    }

    void member(Member member) {
        this.member = member;
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
     * Pings the peer; never blocks. The time is noted first: the pong may come back (and
     * {@link #heard} clear it) before the ping call has even returned.
     */
    void ping(long nowNanos) {
        pingSentNanos = nowNanos;
        outbox.ping();
    }
}
