package org.tertulia.room;

import org.tertulia.protocol.Frame;

/**
 * Where the room puts frames for one connection. Implementations never block the caller:
 * {@link #offer} only queues, so the room may call it while holding its lock, and the
 * actual writing starts in {@link #flush}, which the room calls after releasing it.
 */
public interface Outbox {

    /**
     * Queues a frame behind those already queued. Returns true when the outbox was idle
     * and the caller must call {@link #flush} (outside any lock) to get it writing.
     */
    boolean offer(Frame frame);

    /**
     * Starts writing what is queued, if nothing is being written already. Never blocks.
     * {@code recipients} is the size of the audience the frames come from: the room's (its
     * signed-in users on every node) for what the room sends, 1 for a frame to this member
     * alone. A big room's outboxes may wait a little for more frames to join them in one
     * write; a small one's need not.
     */
    void flush(int recipients);

    /** Ends the connection for this reason; nothing offered afterwards is sent. Never blocks. */
    void close(Departure reason);
}
