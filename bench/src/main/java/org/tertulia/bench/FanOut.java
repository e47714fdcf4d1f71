package org.tertulia.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One fan-out run: S senders each send M messages, at most W of their own in flight; every
 * client times every message of the run. Statistics are kept per event loop (no sharing on
 * the hot path) and merged after the run.
 */
final class FanOut {

    private final byte[] tag;
    private final int senders;
    private final int messages;
    private final int window;
    private final Slot[] slots;

    FanOut(String tag, int senders, int messages, int window, int threads) {
        this.tag = Wire.ascii(tag);
        this.senders = senders;
        this.messages = messages;
        this.window = window;
        this.slots = new Slot[threads];
        for (int i = 0; i < threads; i++) {
            slots[i] = new Slot();
        }
    }

    byte[] tag() {
        return tag;
    }

    int senders() {
        return senders;
    }

    int messages() {
        return messages;
    }

    int window() {
        return window;
    }

    /** On event loop {@code slot}: one message of the run reached one client. */
    void delivered(int slot, long latencyNanos, long nowNanos) {
        Slot s = slots[slot];
        s.histogram.record(latencyNanos / 1000);
        s.last = nowNanos;
        s.published.lazySet(++s.count);
    }

    /** Deliveries so far, for progress; any thread. */
    long deliveredSoFar() {
        long n = 0;
        for (Slot s : slots) {
            n += s.published.get();
        }
        return n;
    }

    /** After {@link Load#barrier()}: the merged latency histogram. */
    Histogram histogram() {
        Histogram all = new Histogram();
        for (Slot s : slots) {
            all.add(s.histogram);
        }
        return all;
    }

    /** After {@link Load#barrier()}: when the last delivery was seen (System.nanoTime), or 0. */
    long lastDeliveryNanos() {
        long last = 0;
        for (Slot s : slots) {
            last = Math.max(last, s.last);
        }
        return last;
    }

    private static final class Slot {
        final Histogram histogram = new Histogram();
        final AtomicLong published = new AtomicLong();
        long count;
        long last;
        // Keep slots of different threads on different cache lines.
        @SuppressWarnings("unused")
        long p1, p2, p3, p4, p5, p6, p7;
    }
}
