package org.tertulia.room;

import java.util.ArrayList;
import java.util.List;

import org.tertulia.protocol.Frame;

/**
 * Hands frames to outboxes under the view's lock, where offering never blocks, and
 * remembers which outboxes were idle, so they are flushed once the lock is released.
 * Counts what it hands out in plain fields, passed on to the meters once per event.
 * Not thread-safe: the view guards it.
 */
final class Fanout {

    private final List<Outbox> due = new ArrayList<>();
    private final RoomMetrics metrics;
    private long frames;
    private long bytes;

    Fanout(RoomMetrics metrics) {
        this.metrics = metrics;
    }

    /** One frame to one member. */
    void to(Member member, Frame frame) {
        frames++;
        bytes += frame.bytes();
        if (member.outbox().offer(frame)) {
            due.add(member.outbox());
        }
    }

    /** One frame, encoded once, to every member but session {@code except} (-1: none). */
    void toAll(Iterable<Member> members, Frame frame, long except) {
        for (Member member : members) {
            if (member.id() != except) {
                to(member, frame);
            }
        }
    }

    /** The outboxes to flush, forgotten here; null when none. What was handed out is counted now. */
    Outbox[] takeDue() {
        metrics.delivered(frames, bytes);
        frames = 0;
        bytes = 0;
        if (due.isEmpty()) {
            return null;
        }
        Outbox[] outboxes = due.toArray(new Outbox[0]);
        due.clear();
        return outboxes;
    }
}
