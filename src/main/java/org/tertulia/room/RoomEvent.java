package org.tertulia.room;

/**
 * What happened in the room, in the one order every node applies it. The bus carries
 * these; each node turns them into frames for its own connections. {@code id} is always
 * the session the event is about; {@code connection}, where present, the connection that
 * session had when it happened, so an event from a connection since replaced is moot.
 */
public sealed interface RoomEvent {

    /** The session this event is about. */
    long id();

    /** Connection {@code connection} signed in as {@code name}, starting session {@code id}. */
    record Joined(long id, long connection, String name, long date) implements RoomEvent {
    }

    /** A signed-in session took a new name. */
    record Renamed(long id, String name, long date) implements RoomEvent {
    }

    /** Session {@code id}'s connection {@code connection} left. */
    record Left(long id, long connection, long date) implements RoomEvent {
    }

    /** Session {@code id} (named {@code name}) goes on over connection {@code connection}, after a drop. */
    record Resumed(long id, long connection, String name, long date) implements RoomEvent {
    }

    /** {@code name} said {@code text}, to the room or, when {@code target} is set, to one user. */
    record Said(long id, String name, String text, long date, String target) implements RoomEvent {
    }

    /** {@code name} is typing. */
    record Typing(long id, String name) implements RoomEvent {
    }
}
