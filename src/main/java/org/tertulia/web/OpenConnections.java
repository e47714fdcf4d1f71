package org.tertulia.web;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.tertulia.room.Departure;
import org.tertulia.room.Member;
import org.tertulia.room.RoomCommands;

/**
 * The WebSocket connections this node holds open, for the connection cap, the heartbeat
 * and shutdown; and the one way out of the set, which takes the member out of the room too.
 */
@Component
final class OpenConnections {

    private final RoomCommands room;
    private final Map<String, Connection> open = new ConcurrentHashMap<>();

    OpenConnections(RoomCommands room) {
        this.room = room;
    }

    void add(Connection connection) {
        open.put(connection.id(), connection);
    }

    boolean contains(Connection connection) {
        return open.get(connection.id()) == connection;
    }

    int size() {
        return open.size();
    }

    Collection<Connection> all() {
        return open.values();
    }

    /** The most bytes any one connection has waiting to be written; read when metrics are scraped. */
    long mostQueuedBytes() {
        long most = 0;
        for (Connection connection : open.values()) {
            SessionOutbox outbox = connection.outbox();
            if (outbox != null) {
                most = Math.max(most, outbox.queuedBytes());
            }
        }
        return most;
    }

    /**
     * The connection is over, or must be, for {@code why}: out of the open set, its member
     * out of the room, which ends the socket accordingly. Idempotent, any thread.
     */
    void depart(Connection connection, Departure why) {
        open.remove(connection.id(), connection);
        Member member = connection.member();
        if (member != null) {
            room.depart(member, why);
        }
    }
}
