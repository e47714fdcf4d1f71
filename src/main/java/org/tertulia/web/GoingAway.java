package org.tertulia.web;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.tertulia.room.Departure;
import org.tertulia.room.RoomCommands;

/**
 * On shutdown, after the room's bus has stopped and before the web server stops: closes
 * every connection with 1001 and waits a moment for the closes to go out, so clients know
 * to reconnect elsewhere.
 */
@Component
final class GoingAway implements SmartLifecycle {

    /** After the bus (the last phase) stops, before the web server's graceful shutdown, which would wait on the sockets. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final Logger log = LoggerFactory.getLogger(GoingAway.class);

    private final RoomCommands room;
    private final OpenConnections open;
    private volatile boolean running;

    GoingAway(RoomCommands room, OpenConnections open) {
        this.room = room;
        this.open = open;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // By now readiness says REFUSING_TRAFFIC (Spring says so first thing on close), so a
        // balancer that asks sends no one new here while these clients go elsewhere.
        log.info("going away: closing {} connection(s) with 1001", open.size());
        room.departAll(Departure.SHUTDOWN);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (open.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
