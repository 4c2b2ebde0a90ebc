package io.wafleet.aggregator;

import static io.wafleet.aggregator.AggregatorDriver.T0;
import static io.wafleet.aggregator.AggregatorDriver.check;
import static io.wafleet.aggregator.AggregatorDriver.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.EventLevel;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window-driven alerts (error rate, P99) and pool panic through the real topology. */
class AlertsTopologyTest {

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    @Test
    void aMinuteOverTheP99ThresholdDegradesTheServerAndRaisesP99HighThenNormal() {
        try (AggregatorDriver aggregator = HealthTableTopologyTest.healthyServer("s1")) {
            for (int second = 60; second < 120; second += 5) {
                aggregator.checks.pipeInput("s1", check("s1", at(second), true, 1_500_000));
            }
            aggregator.check("s1", at(131), true);

            ServerHealth slow = aggregator.healthTable().get("s1");
            assertThat(slow.getStatus()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(slow.getReason()).startsWith("P99 1500 ms over 1000 ms");
            assertThat(slow.getMetrics1m().getWindowStart()).isEqualTo(at(60));
            List<ServerEvent> events = aggregator.events();
            assertThat(events).extracting(ServerEvent::getType).containsExactly("P99_HIGH", "STATUS_CHANGED");
            assertThat(events.get(0).getLevel()).isEqualTo(EventLevel.WARNING);

            for (int second = 135; second < 180; second += 5) {
                aggregator.check("s1", at(second), true);
            }
            aggregator.check("s1", at(191), true);

            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(aggregator.events())
                    .extracting(ServerEvent::getType)
                    .containsExactly("P99_NORMAL", "STATUS_CHANGED");
        }
    }

    @Test
    void aMinuteOverTheErrorRateThresholdDegradesTheServerAndRaisesAnError() {
        try (AggregatorDriver aggregator = HealthTableTopologyTest.healthyServer("s1")) {
            for (int second = 60; second < 120; second += 5) {
                // One failure in four: never three in a row, so only the error rate can show it.
                aggregator.check("s1", at(second), second % 20 != 0);
            }
            aggregator.check("s1", at(131), true);

            ServerHealth failing = aggregator.healthTable().get("s1");
            assertThat(failing.getStatus()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(failing.getReason()).startsWith("error rate 25.0 %");
            List<ServerEvent> events = aggregator.events();
            assertThat(events).extracting(ServerEvent::getType).containsExactly("ERROR_RATE_HIGH", "STATUS_CHANGED");
            assertThat(events.get(0).getLevel()).isEqualTo(EventLevel.ERROR);
            assertThat(events.get(0).getDetails())
                    .containsEntry("failures", "3")
                    .containsEntry("count", "12");
        }
    }

    @Test
    void aPoolWithFewerThanHalfItsServersHealthyPanicsAndRecovers() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            for (String id : List.of("a", "b", "c", "d")) {
                aggregator.config(server(id, "production", id.equals("d") ? "us-east" : "eu-west", c -> {}), at(0));
                aggregator.check(id, at(1), true);
                aggregator.check(id, at(2), true);
            }
            assertThat(aggregator.allEvents()).allMatch(event -> event.getPoolId() == null);

            for (String id : List.of("a", "b")) {
                for (int i = 0; i < 3; i++) {
                    aggregator.check(id, at(3 + i), false);
                }
            }
            // eu-west: 1 of 3 healthy; production: 2 of 4, not under half.
            assertThat(poolEvents(aggregator)).singleElement().satisfies(event -> {
                assertThat(event.getPoolId()).isEqualTo("production/eu-west");
                assertThat(event.getType()).isEqualTo("POOL_PANIC");
                assertThat(event.getLevel()).isEqualTo(EventLevel.CRITICAL);
            });

            for (int i = 0; i < 3; i++) {
                aggregator.check("c", at(10 + i), false);
            }
            assertThat(poolEvents(aggregator)).singleElement().satisfies(event -> {
                assertThat(event.getPoolId()).isEqualTo("production");
                assertThat(event.getType()).isEqualTo("POOL_PANIC");
                assertThat(event.getDetails()).containsEntry("healthy", "1").containsEntry("servers", "4");
            });

            aggregator.check("a", at(20), true);
            aggregator.check("a", at(21), true);
            assertThat(poolEvents(aggregator)).singleElement().satisfies(event -> {
                assertThat(event.getPoolId()).isEqualTo("production");
                assertThat(event.getType()).isEqualTo("POOL_PANIC_OVER");
            });
        }
    }

    @Test
    void disabledServersDoNotCountInTheirPool() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            for (String id : List.of("a", "b", "c")) {
                aggregator.config(server(id, "staging", null, c -> {}), at(0));
                aggregator.check(id, at(1), true);
                aggregator.check(id, at(2), true);
            }
            aggregator.config(server("b", "staging", null, c -> c.setIsEnabled(false)), at(3));
            aggregator.config(server("c", "staging", null, c -> c.setIsEnabled(false)), at(3));
            for (int i = 0; i < 3; i++) {
                aggregator.check("a", at(4 + i), false);
            }

            assertThat(poolEvents(aggregator))
                    .singleElement()
                    .satisfies(event -> assertThat(event.getDetails()).containsEntry("servers", "1"));
        }
    }

    private static List<ServerEvent> poolEvents(AggregatorDriver aggregator) {
        return aggregator.allEvents().stream()
                .filter(event -> event.getPoolId() != null)
                .toList();
    }
}
