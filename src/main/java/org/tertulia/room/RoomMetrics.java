package org.tertulia.room;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.tertulia.protocol.ErrorCode;

/**
 * What the room counts, as Micrometer meters under {@code tertulia.}: lines, deliveries and
 * bytes handed to outboxes, userlists, refused frames, resumed sessions, signed-in users.
 * Every meter is made once, up front; on the fan-out path the view adds once per event,
 * never once per recipient.
 */
public final class RoomMetrics {

    private final Counter roomLines;
    private final Counter privateLines;
    private final Counter deliveries;
    private final Counter sentBytes;
    private final Counter userlists;
    private final Counter caughtUp;
    private final Counter notCaughtUp;
    private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
    private final MeterRegistry registry;

    public RoomMetrics(MeterRegistry registry) {
        this.registry = registry;
        roomLines = lines(registry, "room");
        privateLines = lines(registry, "private");
        deliveries = Counter.builder("tertulia.deliveries")
                .description("Frames handed to connections to send, each recipient counted once").register(registry);
        sentBytes = Counter.builder("tertulia.sent.bytes").baseUnit("bytes")
                .description("Bytes of frames handed to connections to send").register(registry);
        userlists = Counter.builder("tertulia.userlists.sent")
                .description("Userlists sent, each to every member of this node").register(registry);
        caughtUp = resumed(registry, true);
        notCaughtUp = resumed(registry, false);
        for (ErrorCode code : ErrorCode.values()) {
            refused.put(code, Counter.builder("tertulia.frames.refused").tag("code", code.wire())
                    .description("Frames refused with an error frame, by its code").register(registry));
        }
    }

    private static Counter lines(MeterRegistry registry, String scope) {
        return Counter.builder("tertulia.lines.broadcast").tag("scope", scope)
                .description("Chat lines put into the room's order").register(registry);
    }

    private static Counter resumed(MeterRegistry registry, boolean caughtUp) {
        return Counter.builder("tertulia.sessions.resumed").tag("caught_up", Boolean.toString(caughtUp))
                .description("Sessions taken back by a returning client; caught_up false: it had missed more than is kept")
                .register(registry);
    }

    /** The users signed in on this node, read when scraped. */
    void signedIn(Supplier<Number> count) {
        Gauge.builder("tertulia.users.signed.in", count).description("Users signed in on this node")
                .register(registry);
    }

    void line(boolean toRoom) {
        (toRoom ? roomLines : privateLines).increment();
    }

    /** {@code frames} frames of {@code bytes} bytes in all, handed to outboxes for one event. */
    void delivered(long frames, long bytes) {
        if (frames > 0) {
            deliveries.increment(frames);
            sentBytes.increment(bytes);
        }
    }

    void userlistSent() {
        userlists.increment();
    }

    void refused(ErrorCode code) {
        refused.get(code).increment();
    }

    void resumed(boolean caughtUp) {
        (caughtUp ? this.caughtUp : notCaughtUp).increment();
    }
}
