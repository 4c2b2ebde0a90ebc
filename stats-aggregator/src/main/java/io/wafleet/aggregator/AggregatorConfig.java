package io.wafleet.aggregator;

import java.time.Duration;
import java.util.List;

/**
 * The aggregator's windowing settings.
 *
 * @param windowSizes tumbling window sizes of the latency metrics (default 1 min and 5 min)
 * @param grace how long after a window ends late checks still count (default 10 s: probes publish within a second,
 *     and a window is emitted only once grace has passed)
 * @param exactSamples up to this many latencies a window keeps every value and its quantiles are exact; beyond, a
 *     DDSketch with 1 % relative accuracy takes over
 */
public record AggregatorConfig(List<Duration> windowSizes, Duration grace, int exactSamples) {

    public AggregatorConfig {
        windowSizes = windowSizes == null || windowSizes.isEmpty()
                ? List.of(Duration.ofMinutes(1), Duration.ofMinutes(5))
                : List.copyOf(windowSizes);
        grace = grace == null ? Duration.ofSeconds(10) : grace;
        exactSamples = exactSamples <= 0 ? 128 : exactSamples;
    }

    public static AggregatorConfig defaults() {
        return new AggregatorConfig(null, null, 0);
    }
}
