package org.tertulia.protocol;

import java.util.List;

/** A frame the server sends. */
public sealed interface ServerMessage {

    /** {@code id}: the connection's id, once, on open. */
    record Id(long id) implements ServerMessage {
    }

    /**
     * {@code rejectusername}: the requested name was not given as asked; {@code name} is the
     * one given, {@code reason} (an extension) says why: {@code taken} or {@code invalid}.
     */
    record RejectUsername(long id, String name, String reason) implements ServerMessage {
    }

    /** {@code userlist}: every signed-in name, in sign-in order. */
    record UserList(List<String> users) implements ServerMessage {
        public UserList {
            users = List.copyOf(users);
        }
    }

    /**
     * {@code username}: a user signed in, or renamed (then {@code previous}, an extension, is
     * the old name; null for a sign-in); {@code pos} is its position in the room's order.
     */
    record Username(long id, String name, String previous, long date, long pos) implements ServerMessage {
    }

    /** {@code leave} (an extension): a user left the room. */
    record Leave(long id, String name, long date, long pos) implements ServerMessage {
    }

    /**
     * {@code message}: chat text; {@code target} is null for the room, {@code history} marks
     * replay, {@code pos} is its position in the room's order.
     */
    record Chat(long id, String name, String text, long date, String target, boolean history, long pos)
            implements ServerMessage {

        /** The same message, marked as replayed history. */
        public Chat asHistory() {
            return new Chat(id, name, text, date, target, true, pos);
        }
    }

    /**
     * {@code session} (an extension), to a client that signed in: its id from now on, the
     * token that lets it come back after a dropped connection, whether this sign-in resumed
     * an earlier session, and whether the server no longer held all it missed meanwhile.
     */
    record Session(long id, String token, boolean resumed, boolean missed) implements ServerMessage {

        /** Never shows the token. */
        @Override
        public String toString() {
            return "Session[id=" + id + ", token=(hidden), resumed=" + resumed + ", missed=" + missed + "]";
        }
    }

    /** {@code typing}: {@code name} is typing. */
    record Typing(String name) implements ServerMessage {
    }

    /** {@code error}: a frame of the recipient's was refused. */
    record Error(ErrorCode code, String text) implements ServerMessage {
    }
}
