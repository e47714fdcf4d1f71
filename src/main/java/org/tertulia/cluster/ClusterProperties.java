package org.tertulia.cluster;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How this node shares the room, under {@code tertulia.cluster.*}. Where Redis is comes
 * from Spring's own {@code spring.data.redis.*}.
 *
 * @param mode         {@code memory}: one node, no outside service; {@code redis}: nodes share one room
 * @param nodeTtl      how long a node that stopped heartbeating is presumed alive; it beats every third of it
 * @param streamLength events the shared stream keeps (approximately); a node further behind misses some
 */
@ConfigurationProperties("tertulia.cluster")
@Validated
public record ClusterProperties(
        @DefaultValue("memory") @NotNull Mode mode,
        @DefaultValue("10s") @Positive Duration nodeTtl,
        @DefaultValue("10000") @Positive int streamLength) {

    /** Where the room lives. */
    public enum Mode { MEMORY, REDIS }

    /** How often this node refreshes its heartbeat. */
    Duration beat() {
        return atLeast(nodeTtl.dividedBy(3), Duration.ofMillis(50));
    }

    /**
     * How long, after Redis lost its data, only returning users may claim names, so that the
     * nodes can put their users back before a newcomer takes a returning user's name.
     */
    Duration settle() {
        return atLeast(nodeTtl.dividedBy(2), Duration.ofMillis(100));
    }

    private static Duration atLeast(Duration value, Duration floor) {
        return value.compareTo(floor) < 0 ? floor : value;
    }
}
