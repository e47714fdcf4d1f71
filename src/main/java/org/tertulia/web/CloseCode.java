package org.tertulia.web;

import org.tertulia.room.Departure;

/**
 * The RFC 6455 close codes this server sends, with the reason beside each, and which
 * departures drop what is still queued instead of sending it first.
 */
enum CloseCode {
    /** The server is shutting down. */
    GOING_AWAY(1001, "server shutting down", false),
    /** A binary frame: this protocol is text only. */
    UNSUPPORTED_DATA(1003, "binary frames are not accepted", false),
    /** Sustained flooding past the rate limit; the refusal notices queued before it still go out. */
    FLOODING(1008, "too many frames", false),
    /** The client did not read its frames fast enough: what it has not read is dropped. */
    SLOW_READER(1008, "too slow reading", true),
    /** No pong came back in time: the peer is likely gone, so nothing more is queued for it. */
    UNRESPONSIVE(1001, "no pong within the timeout", true),
    /** A frame larger than the limit. */
    TOO_BIG(1009, "frame too large", false),
    /** Text that is not UTF-8. */
    INVALID_TEXT(1007, "text must be UTF-8", false),
    /** Frames that break the WebSocket protocol. */
    PROTOCOL_ERROR(1002, "protocol error", false),
    /** The node holds as many connections as it may. */
    TRY_AGAIN_LATER(1013, "server full, try again later", false),
    /**
     * The session went on over another connection: the client came back on a new socket, or
     * another tab took over with the same token. A client must not reconnect by itself after it.
     */
    REPLACED(4001, "session resumed on another connection", true);

    private final int code;
    private final String reason;
    private final boolean dropsQueue;

    CloseCode(int code, String reason, boolean dropsQueue) {
        this.code = code;
        this.reason = reason;
        this.dropsQueue = dropsQueue;
    }

    /** The close this server sends for a departure; null when the peer's side ended the connection already. */
    static CloseCode of(Departure departure) {
        return switch (departure) {
            case LEFT, LOST -> null;
            case UNRESPONSIVE -> UNRESPONSIVE;
            case SLOW_READER -> SLOW_READER;
            case FLOODING -> FLOODING;
            case TOO_BIG -> TOO_BIG;
            case UNSUPPORTED_DATA -> UNSUPPORTED_DATA;
            case INVALID_TEXT -> INVALID_TEXT;
            case PROTOCOL_ERROR -> PROTOCOL_ERROR;
            case SHUTDOWN -> GOING_AWAY;
            case REPLACED -> REPLACED;
        };
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }

    /** Whether frames still queued are dropped (a reader that cannot keep up, or is gone) rather than sent first. */
    boolean dropsQueue() {
        return dropsQueue;
    }
}
