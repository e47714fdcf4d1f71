package org.tertulia.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median and range of one figure over the runs that gave it. The median of an even count is
 * the mean of the two middle values.
 */
record Stats(double median, double min, double max, int n) {

    /** Null when there are no values. */
    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }
}
