package org.tertulia.web;

import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;
import org.tertulia.protocol.CloseCode;
import org.tertulia.room.ChatRoom;

/**
 * On shutdown, before the web server stops: closes every connection with 1001 and waits
 * a moment for the closes to go out, so clients know to reconnect elsewhere.
 */
final class GoingAway implements SmartLifecycle {

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final ChatRoom room;
    private final ChatWebSocketHandler handler;
    private volatile boolean running;

    GoingAway(ChatRoom room, ChatWebSocketHandler handler) {
        this.room = room;
        this.handler = handler;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        room.closeAll(CloseCode.GOING_AWAY);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!handler.connections().isEmpty() && System.nanoTime() < deadline) {
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
        // Stop before the web server's graceful shutdown, which would otherwise wait on the sockets.
        return DEFAULT_PHASE;
    }
}
