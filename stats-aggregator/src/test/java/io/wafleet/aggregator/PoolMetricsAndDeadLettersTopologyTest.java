package io.wafleet.aggregator;

import static io.wafleet.aggregator.AggregatorDriver.T0;
import static io.wafleet.aggregator.AggregatorDriver.check;
import static io.wafleet.aggregator.AggregatorDriver.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.schemas.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Pool windows merged from their servers' windows, and unreadable input going to the dead letters. */
class PoolMetricsAndDeadLettersTopologyTest {

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    @Test
    void poolWindowsMergeTheirServersWindowsByEnvironmentAndByLocation() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            aggregator.config(server("a", "production", "eu-west", c -> {}), at(0));
            aggregator.config(server("b", "production", "eu-west", c -> {}), at(0));
            aggregator.config(server("c", "production", "us-east", c -> {}), at(0));
            aggregator.config(server("x", "staging", null, c -> {}), at(0));
            Map<String, Long> latency = Map.of("a", 1_000L, "b", 2_000L, "c", 3_000L, "x", 9_000L);
            // Minute one: every server checked 6 times; minute two closes it, minute three closes the pools' minute
            // one.
            for (int second = 0; second < 190; second += 10) {
                for (var server : latency.entrySet()) {
                    aggregator.checks.pipeInput(
                            server.getKey(), check(server.getKey(), at(second), second != 30, server.getValue()));
                }
            }

            Map<String, ServerMetrics> pools = aggregator.metrics.readValuesToList().stream()
                    .filter(m -> m.getScope() != MetricsScope.SERVER
                            && m.getWindowStart().equals(T0))
                    .filter(m -> m.getWindowSizeSeconds() == 60)
                    .collect(Collectors.toMap(ServerMetrics::getKey, m -> m));

            assertThat(pools).containsOnlyKeys("production", "production/eu-west", "production/us-east", "staging");
            ServerMetrics production = pools.get("production");
            assertThat(production.getScope()).isEqualTo(MetricsScope.ENVIRONMENT);
            assertThat(production.getEnvironment()).isEqualTo("production");
            assertThat(production.getLocation()).isNull();
            assertThat(production.getServerId()).isNull();
            assertThat(production.getWindowEnd()).isEqualTo(at(60));
            assertThat(production.getCount()).isEqualTo(18);
            assertThat(production.getFailures()).isEqualTo(3);
            assertThat(production.getMinMicros()).isEqualTo(1_000.0);
            assertThat(production.getMaxMicros()).isEqualTo(3_000.0);
            assertThat(production.getP50Micros()).isEqualTo(2_000.0);
            ServerMetrics euWest = pools.get("production/eu-west");
            assertThat(euWest.getScope()).isEqualTo(MetricsScope.LOCATION);
            assertThat(euWest.getLocation()).isEqualTo("eu-west");
            assertThat(euWest.getCount()).isEqualTo(12);
            assertThat(euWest.getP99Micros()).isEqualTo(2_000.0);
            assertThat(pools.get("staging").getP50Micros()).isEqualTo(9_000.0);
        }
    }

    @Test
    void anUnreadableCheckGoesToTheDeadLettersWithItsReasonAndTheStreamGoesOn() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            aggregator.config(server("s1"), at(0));
            byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            aggregator.rawChecks.pipeInput("s1".getBytes(StandardCharsets.UTF_8), garbage, at(1));
            aggregator.check("s1", at(2), true);
            aggregator.check("s1", at(3), true);

            List<TestRecord<byte[], byte[]>> dead = aggregator.deadLetters.readRecordsToList();
            assertThat(aggregator.deadLetterCount.sum())
                    .as("the dead letters counted for the metrics")
                    .isEqualTo(1);
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo(garbage);
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("s1");
                Headers headers = record.headers();
                assertThat(header(headers, DeadLetters.TOPIC_HEADER)).isEqualTo("wa.health-checks");
                assertThat(header(headers, DeadLetters.ERROR_HEADER)).isNotBlank();
                assertThat(header(headers, DeadLetters.OFFSET_HEADER)).isEqualTo("0");
            });
            assertThat(aggregator.healthTable().get("s1").getConsecutiveSuccesses())
                    .isEqualTo(2);
        }
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
