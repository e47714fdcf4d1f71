package org.tertulia.room;

import org.tertulia.protocol.Frame;

/**
 * One connection as the room sees it: the id it got on opening, the session it speaks for
 * (the same id, or, once it resumed a session after a drop, that session's id), its
 * outbox, the name it signed in with and its rate limits. Identity is this object;
 * nothing a client sends can point the room at another member.
 */
public final class Member {

    /** What the view needs to welcome this member once its sign-in is in the room's order. */
    record Arrival(String token, boolean resumed, Long since) {
    }

    private final long connection;
    private final Outbox outbox;
    private final RateLimits limits;
    // Set by the commands half (sign-in, resume); read by the room on any thread.
    private volatile long id;
    private volatile String name;
    private volatile Arrival arrival;
    // Set by the view when the connection leaves the room; never cleared.
    private volatile boolean detached;
    // Set, under the member's monitor, once its departure has ended its session (or found none).
    private boolean left;

    Member(long connection, Outbox outbox, RateLimits limits) {
        this.connection = connection;
        this.id = connection;
        this.outbox = outbox;
        this.limits = limits;
    }

    /** The session this member speaks for: the id others see. */
    public long id() {
        return id;
    }

    /** The id this connection got when it opened. */
    public long connection() {
        return connection;
    }

    /** The registered name, or null before sign-in. */
    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
    }

    /** This connection takes over session {@code id}, under {@code name}. */
    void resume(long id, String name) {
        this.id = id;
        this.name = name;
    }

    Arrival arrival() {
        return arrival;
    }

    void arrival(Arrival arrival) {
        this.arrival = arrival;
    }

    Outbox outbox() {
        return outbox;
    }

    RateLimits limits() {
        return limits;
    }

    boolean isDetached() {
        return detached;
    }

    void detach() {
        detached = true;
    }

    /** Whether its departure is through; read and written under the member's monitor. */
    boolean hasLeft() {
        return left;
    }

    void left() {
        left = true;
    }

    /** A frame to this member alone, outside the room's order. */
    void send(Frame frame) {
        if (outbox.offer(frame)) {
            outbox.flush(1);
        }
    }

    @Override
    public String toString() {
        return "Member[" + id + (connection == id ? "" : " on " + connection) + (name == null ? "" : ", " + name) + "]";
    }
}
