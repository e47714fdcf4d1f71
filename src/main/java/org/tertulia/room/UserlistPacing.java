package org.tertulia.room;

/**
 * When the next userlist may go out. A join storm of N sends about one list per coalescing
 * window, not N lists of N names; and the window grows with the room: after a list that
 * cost B bytes over all members, the next waits at least B / bandwidth, so list traffic
 * stays bounded however big the room. Not thread-safe: the view guards it.
 */
final class UserlistPacing {

    private final long coalesceNanos;
    private final double bytesPerNano;
    private boolean due;
    private long sentNanos;
    private long pauseNanos;

    UserlistPacing(long coalesceNanos, long bytesPerSecond) {
        this.coalesceNanos = coalesceNanos;
        this.bytesPerNano = bytesPerSecond / 1e9;
    }

    /**
     * The set of names changed. Returns how many nanoseconds from now the list should go
     * out: 0 for at once, or -1 when a list is already due (nothing to schedule).
     */
    long changed(long nowNanos) {
        if (due) {
            return -1;
        }
        due = true;
        return Math.max(0, Math.max(coalesceNanos, sentNanos + pauseNanos - nowNanos));
    }

    /** A list of {@code bytes} went to {@code recipients} members. */
    void sent(long nowNanos, long bytes, int recipients) {
        due = false;
        sentNanos = nowNanos;
        pauseNanos = (long) (bytes * (double) recipients / bytesPerNano);
    }
}
