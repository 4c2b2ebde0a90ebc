package io.wafleet.aggregator;

import java.time.Duration;
import java.util.List;

/**
 * The latency windows' settings.
 *
 * @param sizes tumbling window sizes of the latency metrics (default 1 min and 5 min); a server's health record
 *     carries the latest closed window of the first size as {@code metrics1m} and of the second as {@code metrics5m}
 * @param grace how long after a window ends late checks still count (default 10 s: probes publish within a second,
 *     and a window is emitted only once grace has passed)
 * @param exactSamples up to this many latencies a window keeps every value and its quantiles are exact; beyond, a
 *     DDSketch with 1 % relative accuracy takes over
 */
public record WindowSettings(List<Duration> sizes, Duration grace, int exactSamples) {

    public WindowSettings {
        sizes = sizes == null || sizes.isEmpty()
                ? List.of(Duration.ofMinutes(1), Duration.ofMinutes(5))
                : List.copyOf(sizes);
        grace = grace == null ? Duration.ofSeconds(10) : grace;
        exactSamples = exactSamples <= 0 ? 128 : exactSamples;
    }

    public static WindowSettings defaults() {
        return new WindowSettings(null, null, 0);
    }
}
