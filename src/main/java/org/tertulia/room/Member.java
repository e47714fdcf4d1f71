package org.tertulia.room;

import org.tertulia.protocol.Frame;

/**
 * One connection as the room sees it: its id, its outbox, the name it signed in with and
 * its rate limits. Identity is this object; nothing a client sends can point the room at
 * another member.
 */
public final class Member {

    private final long id;
    private final Outbox outbox;
    private final RateLimits limits;
    // Set by the commands half once a name is claimed; read by the room on any thread.
    private volatile String name;
    // Set by the view when the connection leaves the room; never cleared.
    private volatile boolean detached;

    Member(long id, Outbox outbox, RateLimits limits) {
        this.id = id;
        this.outbox = outbox;
        this.limits = limits;
    }

    public long id() {
        return id;
    }

    /** The registered name, or null before sign-in. */
    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
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

    /** A frame to this member alone, outside the room's order. */
    void send(Frame frame) {
        if (outbox.offer(frame)) {
            outbox.flush();
        }
    }

    @Override
    public String toString() {
        return "Member[" + id + (name == null ? "" : ", " + name) + "]";
    }
}
