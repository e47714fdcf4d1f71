package org.tertulia.room;

/** Where the bus delivers the room's events, in their one order, each with its position in it. */
public interface EventSink {

    /**
     * Delivery starts after {@code position}: what came before is known only as far as it
     * was handed over (a cluster node's snapshot), not event by event.
     */
    void begin(long position);

    /** The next event; positions only grow, with gaps. */
    void apply(long position, RoomEvent event);
}
