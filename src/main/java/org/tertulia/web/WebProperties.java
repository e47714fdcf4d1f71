package org.tertulia.web;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What one node's WebSocket endpoint allows, under {@code tertulia.web.*}. Each default is
 * stated here once; a zero or negative limit stops the start with a message naming the setting.
 *
 * @param maxFrameSize   largest frame a client may send, in UTF-8 bytes; a larger one is closed with 1009
 * @param maxConnections open WebSocket connections this node accepts; past it: HTTP 503, or close 1013
 * @param allowedOrigins origins allowed to open a socket besides the server's own
 * @param trustedProxies address blocks (CIDR) of the proxies whose X-Forwarded-For the
 *                       connection log believes
 * @param acceptBacklog  connections the kernel may hold completed but not yet accepted (the
 *                       listen backlog; Linux caps it at {@code net.core.somaxconn})
 * @param outbox         bounds on what may wait to be written to one connection
 * @param heartbeat      pings to idle connections, and how long a pong may take
 */
@ConfigurationProperties("tertulia.web")
@Validated
record WebProperties(
        @DefaultValue("64KB") @Positive DataSize maxFrameSize,
        @DefaultValue("10000") @Positive int maxConnections,
        @DefaultValue({}) @NotNull List<String> allowedOrigins,
        @DefaultValue({"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"})
        @NotNull List<String> trustedProxies,
        @DefaultValue("1024") @Positive int acceptBacklog,
        @DefaultValue @Valid Outbox outbox,
        @DefaultValue @Valid Heartbeat heartbeat) {

    /**
     * @param maxQueued   bytes queued for one connection before it is cut off as a slow reader
     * @param sendTimeout longest bytes may wait for one connection with none written before it is cut off
     * @param linger      the longest frames wait for more to join them in one write
     * @param lingerPerMember how long they wait for each member of the room, up to {@code linger}
     */
    record Outbox(
            @DefaultValue("1MB") @Positive DataSize maxQueued,
            @DefaultValue("10s") @Positive Duration sendTimeout,
            @DefaultValue("30ms") @PositiveOrZero Duration linger,
            @DefaultValue("25us") @PositiveOrZero Duration lingerPerMember) {
    }

    /**
     * @param interval a connection silent this long is pinged
     * @param timeout  and closed when no pong (or any frame) comes back within this
     */
    record Heartbeat(
            @DefaultValue("25s") @Positive Duration interval,
            @DefaultValue("10s") @Positive Duration timeout) {
    }
}
