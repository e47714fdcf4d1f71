package org.tertulia.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.tertulia.room.RoomEvent;

/**
 * What this node has applied from the shared stream: who is on the roster, each with the
 * order of its sign-in (the stream id of its first join), and the highest id seen. The
 * repair puts users back in their old places, the ghost sweep compares it with Redis, and
 * new ids stay above every id seen.
 */
final class AppliedRoster {

    private final Map<Long, String> orders = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicLong highestId = new AtomicLong();

    /** Notes an event as it is applied, with its stream id (or, from a snapshot, the user's order). */
    void observe(RoomEvent event, String streamId) {
        long id = EventCodec.idOf(event);
        seen(id);
        if (event instanceof RoomEvent.Joined || event instanceof RoomEvent.Renamed) {
            orders.putIfAbsent(id, streamId);
        } else if (event instanceof RoomEvent.Left) {
            orders.remove(id);
        }
    }

    void seen(long id) {
        highestId.accumulateAndGet(id, Math::max);
    }

    long highestId() {
        return highestId.get();
    }

    /** The order of {@code id}'s sign-in, or null when it is not on the roster. */
    String orderOf(long id) {
        return orders.get(id);
    }

    List<Long> ids() {
        synchronized (orders) {
            return List.copyOf(orders.keySet());
        }
    }
}
