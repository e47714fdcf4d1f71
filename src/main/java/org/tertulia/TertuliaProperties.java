package org.tertulia;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.tertulia.room.RoomSettings;

/**
 * Every setting of the server, under {@code tertulia.*}; the defaults live in
 * application.yml and any of them can be overridden by an environment variable
 * (e.g. {@code TERTULIA_MAXCONNECTIONS=20000}).
 */
@ConfigurationProperties("tertulia")
public record TertuliaProperties(
        int maxTextLength,
        int maxNameLength,
        int historySize,
        DataSize maxFrameSize,
        int maxConnections,
        List<String> allowedOrigins,
        Duration userlistCoalesce,
        DataSize userlistBandwidth,
        Duration typingInterval,
        Rate rate,
        Outbox outbox,
        Heartbeat heartbeat,
        Cluster cluster) {

    /** Per-connection token buckets. */
    public record Rate(double framesPerSecond, int frameBurst, double namesPerMinute, int nameBurst, int floodLimit) {
    }

    /** Bounds on what one connection may have waiting to be written to it. */
    public record Outbox(DataSize maxQueued, Duration sendTimeout) {
    }

    /** Pings to idle connections, and how long a pong may take. */
    public record Heartbeat(Duration interval, Duration timeout) {
    }

    /**
     * {@code memory} (one node) or {@code redis} (several nodes sharing one room); how long a
     * silent node lives on; how many events the shared stream keeps (approximately).
     */
    public record Cluster(String mode, Duration nodeTtl, int streamLength) {
    }

    public RoomSettings roomSettings() {
        return new RoomSettings(maxTextLength, maxNameLength, historySize, rate.framesPerSecond(), rate.frameBurst(),
                rate.namesPerMinute(), rate.nameBurst(), rate.floodLimit(), typingInterval, userlistCoalesce,
                userlistBandwidth.toBytes());
    }
}
