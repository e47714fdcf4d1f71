package org.tertulia.support;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** How tests wait for something that happens on another thread: Awaitility, polling often, with one patience. */
public final class Eventually {

    /** How long a wire test waits for the server to do what it must, on a loaded 2-core machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Eventually() {
    }

    /** Waits up to {@link #PATIENCE} for {@code what}, polling every 10 ms. */
    public static ConditionFactory eventually(String what) {
        return within(what, PATIENCE);
    }

    /** Waits up to {@code timeout} for {@code what}, polling every 10 ms. */
    public static ConditionFactory within(String what, Duration timeout) {
        return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }
}
