package org.tertulia.room;

import org.springframework.context.SmartLifecycle;

/**
 * Connects the bus to the view once the context is up, and disconnects it first on
 * shutdown, before the web layer says goodbye to the connections: from then on nothing
 * new reaches the room.
 */
final class RoomBusLifecycle implements SmartLifecycle {

    /** The last phase to start and the first to stop. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    private final RoomBus bus;
    private final RoomView view;
    private volatile boolean running;

    RoomBusLifecycle(RoomBus bus, RoomView view) {
        this.bus = bus;
        this.view = view;
    }

    @Override
    public void start() {
        bus.start(view.sink());
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        view.close();
        bus.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
