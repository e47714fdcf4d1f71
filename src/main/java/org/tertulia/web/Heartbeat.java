package org.tertulia.web;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;
import org.tertulia.TertuliaProperties;
import org.tertulia.protocol.CloseCode;

/**
 * Finds dead peers and stuck readers: a connection silent for an interval is pinged, and
 * one that answers nothing (no pong, no frame) within the timeout is closed, so an abrupt
 * TCP drop leaves no ghost in the user list; a connection whose outbox has written
 * nothing for the send timeout is cut off as a slow reader.
 */
final class Heartbeat implements SmartLifecycle {

    private final ChatWebSocketHandler handler;
    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long sendTimeoutNanos;
    private volatile ScheduledFuture<?> task;

    Heartbeat(ChatWebSocketHandler handler, ScheduledExecutorService scheduler, TertuliaProperties.Heartbeat settings,
            Duration sendTimeout) {
        this.handler = handler;
        this.scheduler = scheduler;
        this.intervalNanos = settings.interval().toNanos();
        this.timeoutNanos = settings.timeout().toNanos();
        this.sendTimeoutNanos = sendTimeout.toNanos();
    }

    @Override
    public void start() {
        long period = Math.max(Math.min(intervalNanos, sendTimeoutNanos) / 4, TimeUnit.MILLISECONDS.toNanos(50));
        task = scheduler.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    void sweep() {
        long now = System.nanoTime();
        for (Connection connection : handler.connections()) {
            if (!connection.session().isOpen()) {
                // Closed or closing without its close callback yet: the callback may come only
                // after the close handshake times out, or never (closed while opening).
                handler.release(connection);
                continue;
            }
            long pinged = connection.pingSentNanos();
            if (connection.outbox().stalled(now, sendTimeoutNanos)) {
                connection.outbox().close(CloseCode.SLOW_READER);
            } else if (pinged != 0 && now - pinged > timeoutNanos) {
                connection.outbox().close(CloseCode.UNRESPONSIVE);
            } else if (pinged == 0 && now - connection.lastHeardNanos() > intervalNanos) {
                connection.ping(now);
            }
        }
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = task;
        if (running != null) {
            running.cancel(false);
        }
        task = null;
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }
}
