package org.tertulia.room;

/**
 * Why a connection leaves the room. The room decides some of these itself (flooding) and is
 * told the others by the layer that sees the socket; whoever owns the socket turns the
 * reason into a close code and decides whether queued frames still go out first.
 */
public enum Departure {
    /** The client closed the connection with a close frame. */
    LEFT,
    /** The connection broke without a close frame. */
    LOST,
    /** No pong (nor any frame) came back in time after a ping. */
    UNRESPONSIVE,
    /** The client did not read what was sent to it fast enough. */
    SLOW_READER,
    /** The client went on sending far past its rate limit. */
    FLOODING,
    /** A frame over the size limit. */
    TOO_BIG,
    /** A binary frame: this protocol is text only. */
    UNSUPPORTED_DATA,
    /** The server is shutting down. */
    SHUTDOWN
}
