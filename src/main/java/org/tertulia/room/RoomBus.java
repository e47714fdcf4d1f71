package org.tertulia.room;

import java.util.function.Consumer;

/**
 * Puts room events into one total order and hands them, in that order, to the room of
 * every node. In memory it is a direct call; in a cluster it is a shared log.
 */
public interface RoomBus {

    /** Where events go once ordered; called before any {@link #publish}. */
    void start(Consumer<RoomEvent> sink);

    /**
     * Appends an event to the order. May block briefly for I/O, so the room never calls
     * it while holding its lock.
     *
     * @throws RoomUnavailableException when the event could not be ordered (it is then lost)
     */
    void publish(RoomEvent event);
}
