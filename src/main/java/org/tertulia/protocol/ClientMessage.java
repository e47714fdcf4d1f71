package org.tertulia.protocol;

/**
 * A frame a client sent, decoded. The client's {@code id} and {@code date} fields are
 * deliberately absent: identity is the connection and the clock is the server's.
 */
public sealed interface ClientMessage {

    /** {@code username}: sign in, or rename. {@code name} is raw, not yet sanitised. */
    record SignIn(String name) implements ClientMessage {
    }

    /** {@code message}: text to the room, or to one user when {@code target} is not null. */
    record Say(String text, String target) implements ClientMessage {
    }

    /** {@code typing}: the user is typing. */
    record Typing() implements ClientMessage {
    }

    /** A type this server does not know; ignored for forward compatibility. */
    record Unknown(String type) implements ClientMessage {
    }

    /** A frame that could not be decoded: the sender is told why, and it counts against its rate. */
    record Malformed(ErrorCode code, String reason) implements ClientMessage {
    }
}
