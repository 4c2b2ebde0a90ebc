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
     * The value at quantile {@code q} (0..1), null without samples, by the nearest-rank definition that ops compute in
     * SQL ({@code percentile_disc}): the smallest value whose rank r (1-based, in sorted order) has r >= q * n, so the
     * P99 of 30 latencies is the largest. Exact while every value is kept; else the sketch's bin that holds that rank,
     * within its 1 % relative accuracy of the exact value.
     */
    Double quantile(double q) {
        if (samples == 0) {
            return null;
        }
        int rank = nearestRank(q, samples);
        if (sketch != null) {
            // DDSketch answers the bin holding 0-based rank floor(q' * (n - 1)); aim q' at the middle of the rank.
            double target = samples == 1 ? 0 : Math.min(1, (rank - 0.5) / (samples - 1));
            return sketch.getValueAtQuantile(target);
        }
        double[] sorted = Arrays.copyOf(exact, exactCount);
        Arrays.sort(sorted);
        return sorted[rank - 1];
    }

    /** The 1-based nearest rank of quantile {@code q} among {@code n} values, computed as PostgreSQL does. */
    static int nearestRank(double q, long n) {
        return (int) Math.max(1, Math.min(n, (long) Math.ceil(q * n)));
    }

    Double average() {
        return samples == 0 ? null : sum / samples;
    }
}
