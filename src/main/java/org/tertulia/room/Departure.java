package org.tertulia.room;

/**
 * Why a connection leaves the room. The room decides some of these itself (flooding) and is
 * told the others by the layer that sees the socket; whoever owns the socket turns the
 * reason into a close code and decides whether queued frames still go out first.
 */
public enum Departure {
    /** The client closed the connection with a close frame. */
    LEFT(false),
    /** The connection broke without a close frame. */
    LOST(true),
    /** No pong (nor any frame) came back in time after a ping. */
    UNRESPONSIVE(true),
    /** The client did not read what was sent to it fast enough. */
    SLOW_READER(true),
    /** The client went on sending far past its rate limit. */
    FLOODING(false),
    /** A frame over the size limit. */
    TOO_BIG(false),
    /** A binary frame: this protocol is text only. */
    UNSUPPORTED_DATA(false),
    /** Text that is not UTF-8. */
    INVALID_TEXT(false),
    /** Frames that break the WebSocket protocol (unmasked, unknown opcode, a bad fragment). */
    PROTOCOL_ERROR(false),
    /** The server is shutting down. */
    SHUTDOWN(true),
    /** Its session went on over another connection (the client came back, or another tab took over). */
    REPLACED(true);

    private final boolean resumable;

    Departure(boolean resumable) {
        this.resumable = resumable;
    }

    /**
     * Whether the session stays resumable (its name reserved) for the grace period: yes when
     * the connection was lost or could not keep up, through no choice of the user's; no when
     * the client said goodbye, or broke the protocol.
     */
    public boolean resumable() {
        return resumable;
    }
}
