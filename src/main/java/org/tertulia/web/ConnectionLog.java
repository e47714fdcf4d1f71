package org.tertulia.web;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;

/**
 * One INFO line when a connection opens and one when it closes: its id (as the client was
 * told), where it comes from, how it ended and how long it lasted. Never a message's text,
 * never a token. The logger is this class's, so it can be turned up or down on its own
 * ({@code logging.level.org.tertulia.web.ConnectionLog}).
 */
final class ConnectionLog {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

    private ConnectionLog() {
    }

    static void opened(long id, String from) {
        log.info("connection {} opened from {}", id, from);
    }

    static void refusedFull(String from) {
        log.info("connection from {} refused: this node holds all the connections it may", from);
    }

    static void closed(long id, String from, CloseStatus status, long openedNanos) {
        if (log.isInfoEnabled()) {
            String seconds = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - openedNanos) / 1e9);
            String reason = status.getReason() == null || status.getReason().isEmpty() ? "-" : status.getReason();
            log.info("connection {} closed: {} {} after {} s (from {})", id, status.getCode(), reason, seconds, from);
        }
    }
}
