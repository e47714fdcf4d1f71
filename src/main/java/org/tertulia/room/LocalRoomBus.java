package org.tertulia.room;

import java.util.function.Consumer;

/** The bus of a single node: the room's own lock gives the order, so publishing is delivering. */
public final class LocalRoomBus implements RoomBus {

    private volatile Consumer<RoomEvent> sink;

    @Override
    public void start(Consumer<RoomEvent> sink) {
        this.sink = sink;
    }

    @Override
    public void publish(RoomEvent event) {
        sink.accept(event);
    }
}
