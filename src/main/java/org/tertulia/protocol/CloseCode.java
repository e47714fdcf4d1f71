package org.tertulia.protocol;

/** The RFC 6455 close codes this server uses, with the reason sent beside each. */
public enum CloseCode {
    /** The server is shutting down. */
    GOING_AWAY(1001, "server shutting down"),
    /** A binary frame: this protocol is text only. */
    UNSUPPORTED_DATA(1003, "binary frames are not accepted"),
    /** Sustained flooding past the rate limit. */
    FLOODING(1008, "too many frames"),
    /** The client did not read its frames fast enough. */
    SLOW_READER(1008, "too slow reading"),
    /** No pong came back in time. */
    UNRESPONSIVE(1001, "no pong within the timeout"),
    /** A frame larger than the limit. */
    TOO_BIG(1009, "frame too large"),
    /** The node holds as many connections as it may. */
    TRY_AGAIN_LATER(1013, "server full, try again later");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
