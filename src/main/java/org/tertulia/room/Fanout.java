package org.tertulia.room;

import java.util.ArrayList;
import java.util.List;

import org.tertulia.protocol.Frame;

/**
 * Hands frames to outboxes under the view's lock, where offering never blocks, and
 * remembers which outboxes were idle, so they are flushed once the lock is released.
 * Not thread-safe: the view guards it.
 */
final class Fanout {

    private final List<Outbox> due = new ArrayList<>();

    /** One frame to one member. */
    void to(Member member, Frame frame) {
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

    /** The outboxes to flush, forgotten here; null when none. */
    Outbox[] takeDue() {
        if (due.isEmpty()) {
            return null;
        }
        Outbox[] outboxes = due.toArray(new Outbox[0]);
        due.clear();
        return outboxes;
    }
}
