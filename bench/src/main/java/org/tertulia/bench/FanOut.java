package org.tertulia.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One fan-out run: S senders each send M messages; every client times every message of the
 * run. Two ways to send:
 *
 * <ul>
 * <li><b>windowed</b> (closed loop, saturation): a sender keeps at most W of its own messages
 * in flight and sends the next when one comes back, so the load follows what the server and
 * the generator can take. A message carries its actual send time.</li>
 * <li><b>paced</b> (open loop, fixed offered load): message k of sender i is due at
 * {@code start + (k * S + i) * gap}, whatever came back, so the S senders together send one
 * message every {@code gap}. A message carries its <em>intended</em> send time, so a late
 * send (generator busy) or a queue anywhere shows in the latency instead of silently
 * lowering the load (no coordinated omission).</li>
 * </ul>
 *
 * Statistics are kept per event loop (no sharing on the hot path) and merged after the run.
 */
final class FanOut {

    private final byte[] tag;
    private final int senders;
    private final int messages;
    private final int window;
    private final double gapNanos;
    private final long startNanos;
    private final Slot[] slots;

    private FanOut(String tag, int senders, int messages, int window, double gapNanos, long startNanos, int threads) {
        this.tag = Wire.ascii(tag);
        this.senders = senders;
        this.messages = messages;
        this.window = window;
        this.gapNanos = gapNanos;
        this.startNanos = startNanos;
        this.slots = new Slot[threads];
        for (int i = 0; i < threads; i++) {
            slots[i] = new Slot();
        }
    }

    static FanOut windowed(String tag, int senders, int messages, int window, int threads) {
        return new FanOut(tag, senders, messages, window, 0, 0, threads);
    }

    /** The senders together send one message every {@code gapNanos} from {@code startNanos} (System.nanoTime). */
    static FanOut paced(String tag, int senders, int messages, double gapNanos, long startNanos, int threads) {
        return new FanOut(tag, senders, messages, 0, gapNanos, startNanos, threads);
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

    boolean paced() {
        return gapNanos > 0;
    }

    /** Paced: when message {@code seq} of sender {@code sender} is due (System.nanoTime). */
    long intendedNanos(int sender, int seq) {
        return startNanos + Math.round(((double) seq * senders + sender) * gapNanos);
    }

    /** Paced: when the last message of the run is due. */
    long lastIntendedNanos() {
        return intendedNanos(senders - 1, messages - 1);
    }

    /** On event loop {@code slot}: one message of the run reached one client. */
    void delivered(int slot, long latencyNanos, long nowNanos) {
        Slot s = slots[slot];
        s.latency.record(latencyNanos / 1000);
        s.last = nowNanos;
        s.published.lazySet(++s.count);
    }

    /** On event loop {@code slot}, paced: a message left this long after it was due. */
    void sentLate(int slot, long lagNanos) {
        slots[slot].sendLag.record(lagNanos / 1000);
    }

    /** Deliveries so far, for progress; any thread. */
    long deliveredSoFar() {
        long n = 0;
        for (Slot s : slots) {
            n += s.published.get();
        }
        return n;
    }

    /** After {@link Load#barrier()}: the merged latency histogram (microseconds). */
    Histogram latency() {
        Histogram all = new Histogram();
        for (Slot s : slots) {
            all.add(s.latency);
        }
        return all;
    }

    /** After {@link Load#barrier()}, paced: how late messages left, against their schedule (microseconds). */
    Histogram sendLag() {
        Histogram all = new Histogram();
        for (Slot s : slots) {
            all.add(s.sendLag);
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
        final Histogram latency = new Histogram();
        final Histogram sendLag = new Histogram();
        final AtomicLong published = new AtomicLong();
        long count;
        long last;
        // Keep slots of different threads on different cache lines.
        @SuppressWarnings("unused")
        long p1, p2, p3, p4, p5, p6, p7;
    }
}
