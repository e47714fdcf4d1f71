package org.tertulia.web;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.tertulia.room.Departure;

/**
 * Finds dead peers and stuck readers: a connection silent for an interval is pinged, and
 * one that answers nothing (no pong, no frame) within the timeout is sent away, so an
 * abrupt TCP drop leaves no ghost in the user list; a connection whose outbox has written
 * nothing for the send timeout is sent away as a slow reader.
 */
@Component
final class Heartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private static final Duration SHORTEST_PERIOD = Duration.ofMillis(50);

    private final OpenConnections open;
    private final TaskScheduler scheduler;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long sendTimeoutNanos;
    private volatile ScheduledFuture<?> task;

    Heartbeat(OpenConnections open, @Qualifier("webScheduler") TaskScheduler scheduler, WebProperties settings) {
        this.open = open;
        this.scheduler = scheduler;
        this.intervalNanos = settings.heartbeat().interval().toNanos();
        this.timeoutNanos = settings.heartbeat().timeout().toNanos();
        this.sendTimeoutNanos = settings.outbox().sendTimeout().toNanos();
    }

    @Override
    public void start() {
        Duration period = Duration.ofNanos(Math.min(intervalNanos, sendTimeoutNanos) / 4);
        task = scheduler.scheduleWithFixedDelay(this::sweep, period.compareTo(SHORTEST_PERIOD) < 0 ? SHORTEST_PERIOD : period);
    }

    void sweep() {
        long now = System.nanoTime();
        for (Connection connection : open.all()) {
            try {
                check(connection, now);
            } catch (RuntimeException e) {
                // A fault with one connection must not stop the sweeps (a scheduled task that throws is never run again).
                log.warn("heartbeat check of a connection failed", e);
            }
        }
    }

    private void check(Connection connection, long now) {
        if (!connection.session().isOpen()) {
            // Closed, and its close callback not through yet (it runs on the socket's thread
            // right after): depart for the reason the callback gives, whichever of the two
            // comes first, so a client that said goodbye does not leave its name reserved
            // as after a drop.
            open.depart(connection, ChatWebSocketHandler.departure(connection.closedWith()));
            return;
        }
        long pinged = connection.pingSentNanos();
        if (connection.outbox().stalled(now, sendTimeoutNanos)) {
            open.depart(connection, Departure.SLOW_READER);
        } else if (pinged != 0 && now - pinged > timeoutNanos) {
            open.depart(connection, Departure.UNRESPONSIVE);
        } else if (pinged == 0 && now - connection.lastHeardNanos() > intervalNanos) {
            connection.ping(now);
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
