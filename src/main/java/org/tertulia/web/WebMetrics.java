package org.tertulia.web;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.tertulia.protocol.ClientMessage;
import org.tertulia.room.Departure;

/**
 * What the web layer counts, under {@code tertulia.}: open connections and the most any one
 * of them has waiting to be written (both read when scraped), handshakes refused, frames
 * received by type, and connections closed by reason. Every meter is made once, up front.
 */
@Component
final class WebMetrics {

    /** The types of frames a client sends, as tags. */
    enum Received { USERNAME, MESSAGE, TYPING, UNKNOWN, MALFORMED }

    private final Map<Received, Counter> received = new EnumMap<>(Received.class);
    private final Map<Departure, Counter> closes = new EnumMap<>(Departure.class);
    private final Counter closedFull;
    private final Counter refusedOrigin;
    private final Counter refusedFull;
    private final Counter refusedNotReady;

    WebMetrics(MeterRegistry registry, OpenConnections open) {
        Gauge.builder("tertulia.connections.open", open::size).description("Open WebSocket connections on this node")
                .register(registry);
        Gauge.builder("tertulia.outbox.max.queued", open::mostQueuedBytes).baseUnit("bytes")
                .description("Bytes waiting to be written to the connection that has the most waiting")
                .register(registry);
        for (Received type : Received.values()) {
            received.put(type, Counter.builder("tertulia.frames.received").tag("type", tag(type.name()))
                    .description("Frames received from clients, by type").register(registry));
        }
        for (Departure why : Departure.values()) {
            closes.put(why, closes(registry, reason(why)));
        }
        closedFull = closes(registry, "full");
        refusedOrigin = refused(registry, "origin");
        refusedFull = refused(registry, "full");
        refusedNotReady = refused(registry, "not-ready");
    }

    private static Counter closes(MeterRegistry registry, String reason) {
        return Counter.builder("tertulia.closes").tag("reason", reason)
                .description("Connections closed, by reason").register(registry);
    }

    private static Counter refused(MeterRegistry registry, String reason) {
        return Counter.builder("tertulia.handshakes.refused").tag("reason", reason)
                .description("WebSocket handshakes refused, by reason").register(registry);
    }

    /** The tag a departure is counted under: what an operator would call it. */
    static String reason(Departure why) {
        return switch (why) {
            case UNRESPONSIVE -> "no-pong";
            case FLOODING -> "flood";
            case UNSUPPORTED_DATA -> "binary";
            case INVALID_TEXT -> "bad-utf8";
            case PROTOCOL_ERROR -> "bad-frames";
            default -> tag(why.name());
        };
    }

    private static String tag(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    void received(ClientMessage message) {
        Received type;
        if (message instanceof ClientMessage.Say) {
            type = Received.MESSAGE;
        } else if (message instanceof ClientMessage.SignIn) {
            type = Received.USERNAME;
        } else if (message instanceof ClientMessage.Typing) {
            type = Received.TYPING;
        } else if (message instanceof ClientMessage.Malformed) {
            type = Received.MALFORMED;
        } else {
            type = Received.UNKNOWN;
        }
        received.get(type).increment();
    }

    void closed(Departure why) {
        closes.get(why).increment();
    }

    /** A connection past the cap, closed with 1013 after its handshake. */
    void closedFull() {
        closedFull.increment();
    }

    void refusedNotReady() {
        refusedNotReady.increment();
    }

    void refusedOrigin() {
        refusedOrigin.increment();
    }

    void refusedFull() {
        refusedFull.increment();
    }
}
