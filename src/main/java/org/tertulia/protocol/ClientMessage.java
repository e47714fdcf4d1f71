package org.tertulia.protocol;

/**
 * A frame a client sent, decoded. The client's {@code id} and {@code date} fields are
 * deliberately absent: identity is the connection and the clock is the server's.
 */
public sealed interface ClientMessage {

    /**
     * {@code username}: sign in, or rename. {@code name} is raw, not yet sanitised. A client
     * coming back after a dropped connection adds the resume {@code token} it was given and
     * the last position it saw ({@code since}); both null otherwise.
     */
    record SignIn(String name, String token, Long since) implements ClientMessage {

        public SignIn(String name) {
            this(name, null, null);
        }

        /** Never shows the token: it is a secret, and records end up in log lines. */
        @Override
        public String toString() {
            return "SignIn[name=" + name + ", token=" + (token == null ? "none" : "(hidden)") + ", since=" + since + "]";
        }
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
