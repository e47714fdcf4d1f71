package org.tertulia.room;

/**
 * One connection as the room sees it: its id, its outbox, the name it signed in with
 * and its rate-limit state. Identity is this object; nothing a client sends can point
 * the room at another member.
 */
public final class Member {

    /** What the rate limiter decided about one incoming frame. */
    enum Admission { ACCEPT, REFUSE_AND_TELL, REFUSE, DISCONNECT }

    private static final long NOTICE_GAP_NANOS = 1_000_000_000L;

    private final long id;
    private final Outbox outbox;
    private final TokenBucket frames;
    private final TokenBucket names;
    private final int floodLimit;

    // Written under the room's lock, read by the room on any thread.
    private volatile String name;

    // Touched only by the thread delivering this connection's frames, one at a time;
    // the monitor makes the hand-over between container threads visible.
    private int refusedInARow;
    private long lastNoticeNanos;
    private long lastTypingNanos;
    private boolean typedBefore;

    Member(long id, Outbox outbox, RoomSettings settings, long nowNanos) {
        this.id = id;
        this.outbox = outbox;
        this.frames = new TokenBucket(settings.framesPerSecond(), settings.frameBurst(), nowNanos);
        this.names = new TokenBucket(settings.namesPerMinute() / 60d, settings.nameBurst(), nowNanos);
        this.floodLimit = settings.floodLimit();
    }

    public long id() {
        return id;
    }

    /** The registered name, or null before sign-in. */
    public String name() {
        return name;
    }

    Outbox outbox() {
        return outbox;
    }

    void name(String name) {
        this.name = name;
    }

    synchronized Admission admitFrame(long nowNanos) {
        if (frames.tryTake(nowNanos)) {
            refusedInARow = 0;
            return Admission.ACCEPT;
        }
        return refuse(nowNanos);
    }

    synchronized Admission admitName(long nowNanos) {
        return names.tryTake(nowNanos) ? Admission.ACCEPT : refuse(nowNanos);
    }

    private Admission refuse(long nowNanos) {
        if (++refusedInARow > floodLimit) {
            return Admission.DISCONNECT;
        }
        if (nowNanos - lastNoticeNanos >= NOTICE_GAP_NANOS || lastNoticeNanos == 0) {
            lastNoticeNanos = nowNanos;
            return Admission.REFUSE_AND_TELL;
        }
        return Admission.REFUSE;
    }

    /** Whether a typing notice may be relayed now, at most one per interval. */
    synchronized boolean mayRelayTyping(long nowNanos, long intervalNanos) {
        if (typedBefore && nowNanos - lastTypingNanos < intervalNanos) {
            return false;
        }
        typedBefore = true;
        lastTypingNanos = nowNanos;
        return true;
    }

    @Override
    public String toString() {
        return "Member[" + id + (name == null ? "" : ", " + name) + "]";
    }
}
