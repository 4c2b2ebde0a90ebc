package io.wafleet.aggregator;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import java.util.Arrays;

/**
 * The latencies of one window: count, failures, min, max, sum, and either every value (while few, so quantiles are
 * exact) or a DDSketch of 1 % relative accuracy (mergeable, bounded size). Latencies are those of successful checks;
 * a failed check counts as a failure only, since its latency is the time to the failure (a timeout, say).
 */
final class LatencyWindow {

    static final double RELATIVE_ACCURACY = 0.01;

    long count;
    long failures;
    long samples;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double[] exact;
    int exactCount;
    DDSketch sketch;

    private final int exactLimit;

    LatencyWindow(int exactLimit) {
        this.exactLimit = exactLimit;
        this.exact = new double[0];
    }

    /** Adds one check. */
    LatencyWindow add(boolean success, double latencyMicros) {
        count++;
        if (!success) {
            failures++;
            return this;
        }
        samples++;
        sum += latencyMicros;
        min = Math.min(min, latencyMicros);
        max = Math.max(max, latencyMicros);
        if (sketch != null) {
            sketch.accept(latencyMicros);
        } else if (exactCount < exactLimit) {
            if (exactCount == exact.length) {
                // Grows by doubling: a copy per sample would make a window's first values quadratic.
                exact = Arrays.copyOf(exact, Math.min(exactLimit, Math.max(8, 2 * exact.length)));
            }
            exact[exactCount++] = latencyMicros;
        } else {
            sketch = DDSketches.unboundedDense(RELATIVE_ACCURACY);
            for (int i = 0; i < exactCount; i++) {
                sketch.accept(exact[i]);
            }
            sketch.accept(latencyMicros);
            exact = new double[0];
            exactCount = 0;
        }
        return this;
    }

    /** Adds every check of {@code other}: the pool windows are the merge of their servers' windows. */
    LatencyWindow merge(LatencyWindow other) {
        count += other.count;
        failures += other.failures;
        samples += other.samples;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        if (sketch == null && other.sketch == null && exactCount + other.exactCount <= exactLimit) {
            exact = Arrays.copyOf(exact, exactCount + other.exactCount);
            System.arraycopy(other.exact, 0, exact, exactCount, other.exactCount);
            exactCount += other.exactCount;
            return this;
        }
        if (sketch == null) {
            sketch = DDSketches.unboundedDense(RELATIVE_ACCURACY);
            for (int i = 0; i < exactCount; i++) {
                sketch.accept(exact[i]);
            }
            exact = new double[0];
            exactCount = 0;
        }
        if (other.sketch != null) {
            sketch.mergeWith(other.sketch);
        } else {
            for (int i = 0; i < other.exactCount; i++) {
                sketch.accept(other.exact[i]);
            }
        }
        return this;
    }

    /**
     * The value at quantile {@code q} (0..1), null without samples: exact (the value of rank floor(q * (n - 1)) in
     * sorted order) while every value is kept, else the sketch's estimate, within 1 % of that value.
     */
    Double quantile(double q) {
        if (samples == 0) {
            return null;
        }
        if (sketch != null) {
            return sketch.getValueAtQuantile(q);
        }
        double[] sorted = Arrays.copyOf(exact, exactCount);
        Arrays.sort(sorted);
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    Double average() {
        return samples == 0 ? null : sum / samples;
    }
}
