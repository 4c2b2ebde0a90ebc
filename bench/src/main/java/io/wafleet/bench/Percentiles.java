package io.wafleet.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a handful of measurements. */
public final class Percentiles {

    private Percentiles() {}

    /** The p-th percentile (0..100) of the values, nearest rank; -1 for none. */
    public static long of(long[] values, int p) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
