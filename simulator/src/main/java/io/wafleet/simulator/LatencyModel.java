package io.wafleet.simulator;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A log-normal latency distribution given by its median and 99th percentile, as real servers' latencies are: most
 * answers near the median, a long tail.
 *
 * @param medianMs the 50th percentile in milliseconds
 * @param p99Ms the 99th percentile in milliseconds, at least the median
 */
public record LatencyModel(double medianMs, double p99Ms) {

    /** The standard normal quantile of 0.99. */
    private static final double Z99 = 2.3263478740408408;

    private static final double Z95 = 1.6448536269514722;

    public LatencyModel {
        if (medianMs < 0 || p99Ms < medianMs) {
            throw new IllegalArgumentException(
                    "latency needs 0 <= median <= p99, was median " + medianMs + " ms, p99 " + p99Ms + " ms");
        }
    }

    public static LatencyModel logNormal(double medianMs, double p99Ms) {
        return new LatencyModel(medianMs, p99Ms);
    }

    /** One latency in milliseconds. */
    public double sampleMs() {
        if (medianMs == 0) {
            return 0;
        }
        return Math.exp(mu() + sigma() * ThreadLocalRandom.current().nextGaussian());
    }

    /** The mean of the distribution in milliseconds. */
    public double meanMs() {
        return medianMs == 0 ? 0 : Math.exp(mu() + sigma() * sigma() / 2);
    }

    /** The 95th percentile in milliseconds. */
    public double p95Ms() {
        return medianMs == 0 ? 0 : Math.exp(mu() + sigma() * Z95);
    }

    private double mu() {
        return Math.log(medianMs);
    }

    private double sigma() {
        return (Math.log(p99Ms) - Math.log(medianMs)) / Z99;
    }
}
