package io.wafleet.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.ServerMetrics;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Windowed latency metrics through the real topology: bounds, emit on close, exact and sketched quantiles. */
class LatencyMetricsTopologyTest {

    private static final Instant T0 = AggregatorDriver.T0;

    @Test
    void aWindowIsEmittedOnceWhenItClosesWithItsBoundsAndExactFigures() {
        try (AggregatorDriver driver = AggregatorDriver.withDefaults()) {
            AggregatorDriver.Checks checks = driver.checks;
            TestOutputTopic<String, ServerMetrics> metrics = driver.metrics;
            long[] latencies = {1_000, 2_000, 3_000, 4_000, 10_000};
            for (int i = 0; i < latencies.length; i++) {
                checks.pipeInput("srv-1", check("srv-1", T0.plusSeconds(10 * i), true, latencies[i]));
            }
            checks.pipeInput("srv-1", check("srv-1", T0.plusSeconds(55), false, 5_000_000));

            // Stream time 69 s: the first minute ends at 60 s, its grace at 70 s: still open.
            checks.pipeInput("srv-1", check("srv-1", T0.plusSeconds(69), true, 1_000));
            assertThat(metrics.readValuesToList()).isEmpty();

            checks.pipeInput("srv-1", check("srv-1", T0.plusSeconds(71), true, 1_000));
            List<ServerMetrics> closed = metrics.readValuesToList();

            assertThat(closed).singleElement().satisfies(window -> {
                assertThat(window.getServerId()).isEqualTo("srv-1");
                assertThat(window.getWindowSizeSeconds()).isEqualTo(60);
                assertThat(window.getWindowStart()).isEqualTo(T0);
                assertThat(window.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
                assertThat(window.getCount()).isEqualTo(6);
                assertThat(window.getFailures()).isEqualTo(1);
                assertThat(window.getErrorRate()).isCloseTo(1.0 / 6, within(1e-9));
                assertThat(window.getMinMicros()).isEqualTo(1_000.0);
                assertThat(window.getMaxMicros()).isEqualTo(10_000.0);
                assertThat(window.getAvgMicros()).isEqualTo(4_000.0);
                assertThat(window.getP50Micros()).isEqualTo(3_000.0);
                // Nearest rank of 5 values: P95 and P99 are the 5th (ceil(4.75), ceil(4.95)), the largest.
                assertThat(window.getP95Micros()).isEqualTo(10_000.0);
                assertThat(window.getP99Micros()).isEqualTo(10_000.0);
            });
            assertThat(driver.driver.getWindowStore(StatsTopology.LATENCY_STORE_PREFIX + "60s"))
                    .isNotNull();
        }
    }

    @Test
    void aCheckDatedAYearAheadTakesItsBrokerTimeAndClosesNoWindowEarly() {
        try (AggregatorDriver driver = AggregatorDriver.withDefaults()) {
            AggregatorDriver.Checks checks = driver.checks;
            checks.pipeInput("srv-1", check("srv-1", T0.plusSeconds(10), true, 1_000));
            // A probe with a wrong clock, or a producer's mistake: stamped now by its producer, dated next year.
            checks.pipeInput(
                    "srv-1", check("srv-1", T0.plus(java.time.Duration.ofDays(365)), true, 2_000), T0.plusSeconds(20));
            checks.pipeInput("srv-1", check("srv-1", T0.plusSeconds(30), true, 3_000));
            checks.pipeInput("srv-1", check("srv-1", T0.plusSeconds(71), true, 1_000));

            assertThat(driver.metrics.readValuesToList())
                    .filteredOn(window -> window.getWindowSizeSeconds() == 60)
                    .singleElement()
                    .satisfies(window -> {
                        assertThat(window.getWindowStart()).isEqualTo(T0);
                        assertThat(window.getCount()).isEqualTo(3);
                    });
        }
    }

    @Test
    void everyConfiguredSizeHasItsOwnWindowsAndServersAreKeptApart() {
        try (AggregatorDriver driver = AggregatorDriver.withDefaults()) {
            AggregatorDriver.Checks checks = driver.checks;
            TestOutputTopic<String, ServerMetrics> metrics = driver.metrics;
            for (int second = 0; second < 300; second += 30) {
                checks.pipeInput("srv-a", check("srv-a", T0.plusSeconds(second), true, 2_000));
                checks.pipeInput("srv-b", check("srv-b", T0.plusSeconds(second), true, 8_000));
            }
            checks.pipeInput("srv-a", check("srv-a", T0.plusSeconds(311), true, 2_000));

            List<ServerMetrics> closed = metrics.readValuesToList();

            assertThat(closed).filteredOn(m -> m.getWindowSizeSeconds() == 60).hasSize(10);
            assertThat(closed)
                    .filteredOn(m -> m.getWindowSizeSeconds() == 300)
                    .hasSize(2)
                    .allSatisfy(m -> {
                        assertThat(m.getWindowStart()).isEqualTo(T0);
                        assertThat(m.getCount()).isEqualTo(10);
                    });
            assertThat(closed)
                    .filteredOn(m -> m.getServerId().equals("srv-b"))
                    .allSatisfy(m -> assertThat(m.getP99Micros()).isEqualTo(8_000.0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "lognormal", "bimodal"})
    void sketchedP95AndP99AreWithinOnePercentOfTheExactValues(String distribution) {
        Random random = new Random(42);
        DoubleSupplier latency = switch (distribution) {
            case "uniform" -> () -> 1_000 + random.nextDouble() * 99_000;
            case "lognormal" -> () -> Math.exp(Math.log(20_000) + 0.8 * random.nextGaussian());
            default ->
                () -> random.nextDouble() < 0.9
                        ? 5_000 + random.nextGaussian() * 500
                        : 200_000 + random.nextGaussian() * 20_000;
        };
        double[] values = new double[20_000];
        try (AggregatorDriver driver = AggregatorDriver.withDefaults()) {
            AggregatorDriver.Checks checks = driver.checks;
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.max(1, latency.getAsDouble());
                checks.pipeInput("srv", check("srv", T0.plusMillis(i * 2L), true, (long) values[i]));
            }
            checks.pipeInput("srv", check("srv", T0.plusSeconds(80), true, 1_000));

            ServerMetrics window = driver.metrics.readValuesToList().get(0);
            double[] sorted =
                    Arrays.stream(values).map(v -> (double) (long) v).sorted().toArray();

            assertThat(window.getCount()).isEqualTo(values.length);
            assertThat(window.getP95Micros()).isCloseTo(exact(sorted, 0.95), within(exact(sorted, 0.95) * 0.01));
            assertThat(window.getP99Micros()).isCloseTo(exact(sorted, 0.99), within(exact(sorted, 0.99) * 0.01));
        }
    }

    @Test
    void aWindowSurvivesItsSerdeExactOrSketched() {
        var serde = LatencyWindowSerde.create(4);
        LatencyWindow few = new LatencyWindow(4).add(true, 10).add(true, 30).add(false, 0);
        LatencyWindow many = new LatencyWindow(4);
        for (int i = 1; i <= 1000; i++) {
            many.add(true, i * 10.0);
        }

        LatencyWindow fewBack =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", few));
        LatencyWindow manyBack =
                serde.deserializer().deserialize("t", serde.serializer().serialize("t", many));

        assertThat(fewBack.count).isEqualTo(3);
        assertThat(fewBack.failures).isEqualTo(1);
        assertThat(fewBack.quantile(0.5)).isEqualTo(10.0);
        assertThat(manyBack.sketch).isNotNull();
        assertThat(manyBack.quantile(0.99)).isCloseTo(many.quantile(0.99), within(1e-9));
        assertThat(manyBack.add(true, 5).samples).isEqualTo(1001);
    }

    @Test
    void mergedWindowsKeepTheSketchAccuracyOfTheirUnion() {
        Random random = new Random(3);
        LatencyWindow merged = new LatencyWindow(128);
        double[] all = new double[30_000];
        for (int server = 0; server < 3; server++) {
            LatencyWindow window = new LatencyWindow(128);
            for (int i = 0; i < 10_000; i++) {
                double latency = Math.exp(Math.log(10_000 * (server + 1)) + 0.7 * random.nextGaussian());
                all[server * 10_000 + i] = latency;
                window.add(true, latency);
            }
            merged.merge(window);
        }
        LatencyWindow few = new LatencyWindow(128).add(true, 5).merge(new LatencyWindow(128).add(true, 7));
        Arrays.sort(all);

        assertThat(merged.count).isEqualTo(30_000);
        assertThat(merged.quantile(0.95)).isCloseTo(exact(all, 0.95), within(exact(all, 0.95) * 0.01));
        assertThat(merged.quantile(0.99)).isCloseTo(exact(all, 0.99), within(exact(all, 0.99) * 0.01));
        assertThat(few.sketch).isNull();
        assertThat(few.quantile(1.0)).isEqualTo(7.0);
    }

    @Test
    void quantilesAreNearestRankAsPercentileDiscComputesThem() {
        // Given 30 latencies 1..30 ms in one exact window, and 20,000 in a sketched one
        LatencyWindow thirty = new LatencyWindow(128);
        for (int i = 30; i >= 1; i--) {
            thirty.add(true, i * 1000.0);
        }
        Random random = new Random(11);
        LatencyWindow sketched = new LatencyWindow(128);
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(Math.log(20_000) + random.nextGaussian());
            sketched.add(true, values[i]);
        }
        Arrays.sort(values);

        // Then the exact window answers the value at rank ceil(q * n): P99 of 30 is the largest, P95 the 29th
        assertThat(thirty.quantile(0.99)).isEqualTo(30_000.0);
        assertThat(thirty.quantile(0.95)).isEqualTo(29_000.0);
        assertThat(thirty.quantile(0.50)).isEqualTo(15_000.0);
        assertThat(thirty.quantile(1.0)).isEqualTo(30_000.0);
        assertThat(thirty.quantile(0.0)).isEqualTo(1_000.0);
        assertThat(new LatencyWindow(128).add(true, 7).quantile(0.99)).isEqualTo(7.0);
        // And the sketch answers within its 1 % of that same rank's value, never of the lower neighbour's
        assertThat(sketched.sketch).isNotNull();
        for (double q : new double[] {0.5, 0.95, 0.99, 0.999, 1.0}) {
            assertThat(sketched.quantile(q)).as("q=" + q).isCloseTo(exact(values, q), within(exact(values, q) * 0.01));
        }
    }

    /** The nearest-rank quantile (PostgreSQL's percentile_disc) of sorted values. */
    private static double exact(double[] sorted, double q) {
        return sorted[(int) Math.max(1, Math.ceil(q * sorted.length)) - 1];
    }

    private static HealthCheck check(String serverId, Instant at, boolean success, long latencyMicros) {
        return AggregatorDriver.check(serverId, at, success, latencyMicros);
    }
}
