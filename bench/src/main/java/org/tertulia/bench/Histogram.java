package org.tertulia.bench;

/**
 * A log-linear histogram of microsecond values: exact below 64, then 64 buckets per
 * power of two (under 1.6% error). Recording is a few arithmetic operations and one
 * array increment; one instance belongs to one thread, instances are merged at the end.
 */
final class Histogram {

    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = SUB + (64 - SUB_BITS) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long sum;

    void record(long micros) {
        long v = micros < 0 ? 0 : micros;
        counts[index(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
    }

    void add(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    double mean() {
        return total == 0 ? 0 : (double) sum / total;
    }

    /** The value at quantile {@code q} (0..1): the middle of the bucket that holds it. */
    long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, middle(i));
            }
        }
        return max;
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int shift = exponent - SUB_BITS;
        int sub = (int) (v >>> shift) & (SUB - 1);
        return SUB + shift * SUB + sub;
    }

    static long middle(int index) {
        if (index < SUB) {
            return index;
        }
        int shift = (index - SUB) / SUB;
        int sub = (index - SUB) % SUB;
        long low = ((long) (SUB + sub)) << shift;
        return low + ((1L << shift) >>> 1);
    }
}
