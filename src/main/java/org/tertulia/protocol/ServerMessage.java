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

    /** {@code username}: a user signed in or renamed. */
    record Username(long id, String name, long date) implements ServerMessage {
    }

    /** {@code message}: chat text; {@code target} is null for the room, {@code history} marks replay. */
    record Chat(long id, String name, String text, long date, String target, boolean history)
            implements ServerMessage {

        /** The same message, marked as replayed history. */
        public Chat asHistory() {
            return new Chat(id, name, text, date, target, true);
        }
    }

    /** {@code typing}: {@code name} is typing. */
    record Typing(String name) implements ServerMessage {
    }

    /** {@code error}: a frame of the recipient's was refused. */
    record Error(ErrorCode code, String text) implements ServerMessage {
    }
}
