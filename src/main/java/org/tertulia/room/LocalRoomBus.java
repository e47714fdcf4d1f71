package org.tertulia.room;

import java.util.function.Consumer;

/**
 * The bus of a single node: the view's own lock gives the order, so publishing is
 * delivering, on the publisher's thread.
 */
final class LocalRoomBus implements RoomBus {

    private static final Consumer<RoomEvent> STOPPED = event -> { };

    private volatile Consumer<RoomEvent> sink = STOPPED;

    @Override
    public void start(Consumer<RoomEvent> sink) {
        this.sink = sink;
    }

    @Override
    public void stop() {
        sink = STOPPED;
    }

    @Override
    public void publish(RoomEvent event) {
        sink.accept(event);
    }
}
