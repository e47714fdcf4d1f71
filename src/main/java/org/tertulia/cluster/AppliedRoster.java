package org.tertulia.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.tertulia.room.RoomEvent;

/**
 * What this node has applied from the shared stream: who is on the roster, each with the
 * position of its sign-in and its current connection, and the highest id seen. The repair
 * puts users back in their old places, the ghost sweep compares it with Redis, and new ids
 * stay above every id seen.
 */
final class AppliedRoster {

    /** A user on the roster as applied: the position of its first sign-in, and its connection. */
    record Seat(long order, long connection) {
    }

    private final Map<Long, Seat> seats = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicLong highestId = new AtomicLong();

    /** Notes an event as it is applied, at its position (from a snapshot: the user's order). */
    void observe(RoomEvent event, long position) {
        seen(event.id());
        if (event instanceof RoomEvent.Joined joined) {
            seen(joined.connection());
            seats.putIfAbsent(joined.id(), new Seat(position, joined.connection()));
        } else if (event instanceof RoomEvent.Resumed resumed) {
            seen(resumed.connection());
            Seat seat = seats.get(resumed.id());
            seats.put(resumed.id(), new Seat(seat == null ? position : seat.order(), resumed.connection()));
        } else if (event instanceof RoomEvent.Left left) {
            Seat seat = seats.get(left.id());
            if (seat != null && seat.connection() == left.connection()) {
                seats.remove(left.id());
            }
        }
    }

    void seen(long id) {
        highestId.accumulateAndGet(id, Math::max);
    }

    long highestId() {
        return highestId.get();
    }

    /** Where {@code id} sits, or null when it is not on the roster. */
    Seat seat(long id) {
        return seats.get(id);
    }

    Map<Long, Seat> seats() {
        synchronized (seats) {
            return Map.copyOf(seats);
        }
    }
}
