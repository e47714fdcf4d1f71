package org.tertulia.room;

/**
 * What happened in the room, in the one order every node applies it. The bus carries
 * these; each node turns them into frames for its own connections.
 */
public sealed interface RoomEvent {

    /** A connection signed in as {@code name}. */
    record Joined(long id, String name, long date) implements RoomEvent {
    }

    /** A signed-in connection took a new name. */
    record Renamed(long id, String name, long date) implements RoomEvent {
    }

    /** A signed-in connection left. */
    record Left(long id) implements RoomEvent {
    }

    /** {@code name} said {@code text}, to the room or, when {@code target} is set, to one user. */
    record Said(long id, String name, String text, long date, String target) implements RoomEvent {
    }

    /** {@code name} is typing. */
    record Typing(long id, String name) implements RoomEvent {
    }
}
