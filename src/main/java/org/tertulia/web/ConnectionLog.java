package org.tertulia.web;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;

/**
 * One INFO line when a connection opens and one when it closes: its id (as the client was
 * told), where it comes from, how it ended and how long it lasted. Never a message's text,
 * never a token. The node's connections are logged by this class's logger, so it can be
 * turned up or down on its own ({@code logging.level.org.tertulia.web.ConnectionLog}); those of
 * a rehearsal ({@link RehearsalEndpoint}) by {@code org.tertulia.web.ConnectionLog.rehearsal},
 * which application.yml sets to WARN: a warm start's thousands of loopback clients stay out of
 * the log.
 */
final class ConnectionLog {

    /** The node's own connections. */
    static final ConnectionLog NODE = new ConnectionLog(LoggerFactory.getLogger(ConnectionLog.class));

    /** A rehearsal's connections. */
    static final ConnectionLog REHEARSAL = new ConnectionLog(
            LoggerFactory.getLogger(ConnectionLog.class.getName() + ".rehearsal"));

    private final Logger log;

    private ConnectionLog(Logger log) {
        this.log = log;
    }

    void opened(long id, String from) {
        log.info("connection {} opened from {}", id, from);
    }

    void refusedFull(String from) {
        log.info("connection from {} refused: this node holds all the connections it may", from);
    }

    void closed(long id, String from, CloseStatus status, long openedNanos) {
        if (log.isInfoEnabled()) {
            String seconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - openedNanos) / 1e9);
            String reason = status.getReason() == null || status.getReason().isEmpty() ? "-" : status.getReason();
            log.info("connection {} closed: {} {} after {} s (from {})", id, status.getCode(), reason, seconds, from);
        }
    }
}
