package org.tertulia;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The warm start, under {@code tertulia.warm-start.*}: before the node says it is ready, crowds
 * of loopback clients rehearse a join storm in a room of their own (docs/operations.md). Off
 * by default: it makes the first storm after a start quicker, but the node is ready later,
 * holds more memory, and its fan-out cost more CPU afterwards in the benchmark.
 *
 * @param rounds  crowds, one after another; 0 (the default) turns the warm start off
 * @param clients clients in each crowd, who connect at once and sign in; 10 of them (or all but
 *                one, in a smaller crowd) then say 10 lines each, which every client hears
 * @param step    longest a step of a round (connect, sign in, hear every line, close) may take
 *                before the warm start gives up, logs why and lets the node be ready as it is
 */
@ConfigurationProperties("tertulia.warm-start")
@Validated
record WarmStartProperties(
        @DefaultValue("0") @PositiveOrZero int rounds,
        @DefaultValue("1000") @Min(2) int clients,
        @DefaultValue("60s") @Positive Duration step) {
}
