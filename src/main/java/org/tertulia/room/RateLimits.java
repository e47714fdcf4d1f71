package org.tertulia.room;

/**
 * The rate limits of one connection: a bucket for every frame, a tighter one for sign-ins
 * and renames, a count of refusals in a row (past the flood limit the connection must go),
 * at most one "slow down" notice a second, and the pacing of relayed typing notices.
 * Called from whichever thread delivers the connection's frames, one at a time; the
 * monitor makes the hand-over between threads visible.
 */
final class RateLimits {

    /** What to do with one incoming frame. */
    enum Verdict { ACCEPT, REFUSE_AND_TELL, REFUSE, DISCONNECT }

    private static final long NOTICE_GAP_NANOS = 1_000_000_000L;

    private final TokenBucket frames;
    private final TokenBucket names;
    private final int floodLimit;
    private final long typingIntervalNanos;
    private int refusedInARow;
    private long lastNoticeNanos;
    private boolean noticeSent;
    private long lastTypingNanos;
    private boolean typedBefore;

    RateLimits(RoomProperties settings, long nowNanos) {
        RoomProperties.Rate rate = settings.rate();
        this.frames = new TokenBucket(rate.framesPerSecond(), rate.frameBurst(), nowNanos);
        this.names = new TokenBucket(rate.namesPerMinute() / 60d, rate.nameBurst(), nowNanos);
        this.floodLimit = rate.floodLimit();
        this.typingIntervalNanos = settings.typingInterval().toNanos();
    }

    synchronized Verdict frame(long nowNanos) {
        if (frames.tryTake(nowNanos)) {
            refusedInARow = 0;
            return Verdict.ACCEPT;
        }
        return refuse(nowNanos);
    }

    synchronized Verdict name(long nowNanos) {
        return names.tryTake(nowNanos) ? Verdict.ACCEPT : refuse(nowNanos);
    }

    private Verdict refuse(long nowNanos) {
        if (++refusedInARow > floodLimit) {
            return Verdict.DISCONNECT;
        }
        if (!noticeSent || nowNanos - lastNoticeNanos >= NOTICE_GAP_NANOS) {
            noticeSent = true;
            lastNoticeNanos = nowNanos;
            return Verdict.REFUSE_AND_TELL;
        }
        return Verdict.REFUSE;
    }

    /** Whether a typing notice may be relayed now: at most one per typing interval. */
    synchronized boolean typing(long nowNanos) {
        if (typedBefore && nowNanos - lastTypingNanos < typingIntervalNanos) {
            return false;
        }
        typedBefore = true;
        lastTypingNanos = nowNanos;
        return true;
    }
}
