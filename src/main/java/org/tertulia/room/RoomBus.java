package org.tertulia.room;

/**
 * Puts room events into one total order, gives each a position in it (a number that only
 * grows, across nodes and restarts), and hands them in that order to the view of every
 * node. In memory it is a direct call; in a cluster it is a shared log. Started and stopped
 * by {@link RoomBusLifecycle}, never by whoever constructs it.
 */
public interface RoomBus {

    /** Starts delivering ordered events to {@code sink}; called once, before any {@link #publish}. */
    void start(EventSink sink);

    /** Stops delivering; events published afterwards may be dropped. */
    void stop();

    /**
     * Whether events published now can be put into the order: false before start, after
     * stop, and in a cluster while this node cannot reach the shared room.
     */
    boolean isReady();

    /**
     * Appends an event to the order. May block briefly for I/O, so the room never calls
     * it while holding its lock.
     *
     * @throws RoomUnavailableException when the event could not be ordered (it is then lost)
     */
    void publish(RoomEvent event);
}
