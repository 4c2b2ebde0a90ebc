package io.wafleet.aggregator;

import static io.wafleet.aggregator.AggregatorDriver.T0;
import static io.wafleet.aggregator.AggregatorDriver.reporting;
import static io.wafleet.aggregator.AggregatorDriver.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.EventLevel;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The health state machine through the real topology: every transition, its published record and its event. */
class HealthTableTopologyTest {

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    @Test
    void aNewServerIsUnknownUntilRiseSuccessesThenHealthyWithItsConfigAndLoad() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            aggregator.config(server("s1"), at(0));

            ServerHealth fresh = aggregator.healthTable().get("s1");
            assertThat(fresh.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(fresh.getBaseUrl()).isEqualTo("https://s1.example.net:3000");
            assertThat(fresh.getCapacity()).isEqualTo(100);
            assertThat(fresh.getEnvironment()).isEqualTo("production");

            aggregator.checks.pipeInput("s1", reporting("s1", at(1), "healthy", 40));
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            aggregator.checks.pipeInput("s1", reporting("s1", at(31), "healthy", 40));

            ServerHealth up = aggregator.healthTable().get("s1");
            assertThat(up.getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(up.getPreviousStatus()).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(up.getStatusSince()).isEqualTo(at(31));
            assertThat(up.getConsecutiveSuccesses()).isEqualTo(2);
            assertThat(up.getConnectedAccounts()).isEqualTo(40);
            assertThat(up.getUtilization()).isEqualTo(0.4);
            assertThat(up.getVersion()).isEqualTo("2.4.1");
            assertThat(up.getLastCheckAt()).isEqualTo(at(31));
            assertThat(aggregator.events()).singleElement().satisfies(event -> {
                assertThat(event.getType()).isEqualTo("STATUS_CHANGED");
                assertThat(event.getLevel()).isEqualTo(EventLevel.INFO);
                assertThat(event.getDetails()).containsEntry("from", "UNKNOWN").containsEntry("to", "HEALTHY");
            });
        }
    }

    @Test
    void aServerThatReportsWahaCoreHostsOneAccountWhateverItsConfigSaysAndItsTierIsShown() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            aggregator.config(server("core", "production", "eu-west", c -> c.setDialect(Dialect.WAHA)), at(0));
            aggregator.config(server("plus", "production", "eu-west", c -> c.setDialect(Dialect.WAHA)), at(0));
            assertThat(aggregator.healthTable().get("core").getCapacity()).isEqualTo(100);

            for (int second : new int[] {1, 31, 61}) {
                aggregator.checks.pipeInput("core", tier(reporting("core", at(second), "healthy", 1), "CORE"));
                aggregator.checks.pipeInput("plus", tier(reporting("plus", at(second), "healthy", 1), "PLUS"));
            }

            ServerHealth core = aggregator.healthTable().get("core");
            assertThat(core.getTier()).isEqualTo("CORE");
            assertThat(core.getCapacity()).isEqualTo(1);
            assertThat(core.getUtilization()).isEqualTo(1.0);
            assertThat(aggregator.healthTable().get("plus").getTier()).isEqualTo("PLUS");
            assertThat(aggregator.healthTable().get("plus").getCapacity()).isEqualTo(100);

            // A config change keeps Core's one seat; an upgrade to Plus (same version) gives the config's back.
            aggregator.config(
                    server("core", "production", "eu-west", c -> {
                        c.setDialect(Dialect.WAHA);
                        c.setMaxInstances(4);
                    }),
                    at(70));
            assertThat(aggregator.healthTable().get("core").getCapacity()).isEqualTo(1);
            aggregator.checks.pipeInput("core", tier(reporting("core", at(91), "healthy", 1), "PLUS"));
            assertThat(aggregator.healthTable().get("core").getCapacity()).isEqualTo(200);
        }
    }

    private static HealthCheck tier(HealthCheck check, String tier) {
        check.getReport().setTier(tier);
        return check;
    }

    @Test
    void aHealthyServerFallsAfterFallFailuresAndRisesAfterRiseSuccesses() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.check("s1", at(40), false);
            aggregator.check("s1", at(45), false);
            ServerHealth twoFailures = aggregator.healthTable().get("s1");
            assertThat(twoFailures.getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(twoFailures.getConsecutiveFailures()).isEqualTo(2);
            assertThat(twoFailures.getLastErrorKind()).isEqualTo(ErrorKind.TIMEOUT);
            assertThat(aggregator.events()).isEmpty();

            aggregator.check("s1", at(50), false);
            ServerHealth down = aggregator.healthTable().get("s1");
            assertThat(down.getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(down.getReason()).contains("3 consecutive failed checks").contains("TIMEOUT");
            assertThat(aggregator.events()).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(EventLevel.ERROR);
                assertThat(event.getDetails()).containsEntry("from", "HEALTHY").containsEntry("to", "UNHEALTHY");
            });

            aggregator.check("s1", at(55), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            aggregator.check("s1", at(58), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(aggregator.events())
                    .extracting(event -> event.getDetails().get("to"))
                    .containsExactly("HEALTHY");
        }
    }

    @Test
    void aFailureBetweenSuccessesRestartsTheCount() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.check("s1", at(60), false);
            aggregator.check("s1", at(90), false);
            aggregator.check("s1", at(100), true);
            aggregator.check("s1", at(110), false);
            aggregator.check("s1", at(120), false);

            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(aggregator.healthTable().get("s1").getConsecutiveFailures())
                    .isEqualTo(2);
        }
    }

    @Test
    void aServersOwnRiseAndFallWinOverTheDefaults() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            aggregator.config(
                    server("s1", "production", null, c -> {
                        c.setRise(1);
                        c.setFall(1);
                    }),
                    at(0));
            aggregator.check("s1", at(1), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            aggregator.check("s1", at(2), false);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        }
    }

    @Test
    void globalRiseAndFallComeFromTheRules() {
        HealthRules rules = new HealthRules(4, 1, 0, null, null, 0, 0, 0, 0, null);
        try (AggregatorDriver aggregator = new AggregatorDriver(new AggregatorConfig(null, rules))) {
            aggregator.config(server("s1"), at(0));
            for (int i = 1; i <= 3; i++) {
                aggregator.check("s1", at(i), true);
            }
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            aggregator.check("s1", at(4), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            aggregator.check("s1", at(5), false);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        }
    }

    @Test
    void aServerThatReportsDegradedIsDegradedAndOneThatReportsUnhealthyCountsAsFailing() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.checks.pipeInput("s1", reporting("s1", at(60), "degraded", 10));
            ServerHealth degraded = aggregator.healthTable().get("s1");
            assertThat(degraded.getStatus()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(degraded.getReportedStatus()).isEqualTo("degraded");
            assertThat(degraded.getReason()).isEqualTo("the server reports degraded");
            assertThat(aggregator.events())
                    .singleElement()
                    .satisfies(event -> assertThat(event.getLevel()).isEqualTo(EventLevel.WARNING));

            for (int i = 0; i < 3; i++) {
                aggregator.checks.pipeInput("s1", reporting("s1", at(90 + i), "unhealthy", 10));
            }
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        }
    }

    @Test
    void aServerRecoveredFromABurstOfFailuresIsHealthyWhenItsWindowClosesWithAHighErrorRate() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            // Given 30 failed connects 50 ms apart in the minute [60, 120) s: the server goes down
            for (int i = 0; i < 30; i++) {
                aggregator.check("s1", at(61).plusMillis(50L * i), false);
            }
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            // When it passes every check from then on, past the close of that minute (its end plus 10 s grace)
            for (int second = 64; second <= 130; second += 2) {
                aggregator.check("s1", at(second), true);
            }

            // Then the closed window's error rate is over the threshold, but the server has recovered: HEALTHY
            ServerHealth after = aggregator.healthTable().get("s1");
            assertThat(after.getMetrics1m().getWindowStart()).isEqualTo(at(60));
            assertThat(after.getMetrics1m().getErrorRate()).isGreaterThan(0.4);
            assertThat(after.getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(after.getLastFailureAt()).isEqualTo(at(61).plusMillis(50L * 29));
        }
    }

    @Test
    void aServerFailingNowAndThenWhileUpStaysDegradedForItsWindowEvenAfterRiseSuccesses() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            // Given a minute [60, 120) with 10 failures among 40 checks, never fall in a row: it stays up
            for (int i = 0; i < 40; i++) {
                aggregator.check("s1", at(60).plusMillis(1_500L * i), i % 4 != 3);
            }
            // When that window closes while the server passes its checks
            for (int second = 120; second <= 170; second += 2) {
                aggregator.check("s1", at(second), true);
            }

            // Then it is DEGRADED for the window's error rate, even after rise successes, until the next one closes
            ServerHealth degraded = aggregator.healthTable().get("s1");
            assertThat(degraded.getMetrics1m().getWindowStart()).isEqualTo(at(60));
            assertThat(degraded.getConsecutiveSuccesses()).isGreaterThan(2);
            assertThat(degraded.getStatus()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(degraded.getReason()).startsWith("error rate 25.0 %");
            for (int second = 172; second <= 190; second += 2) {
                aggregator.check("s1", at(second), true);
            }
            ServerHealth next = aggregator.healthTable().get("s1");
            assertThat(next.getMetrics1m().getWindowStart()).isEqualTo(at(120));
            assertThat(next.getStatus()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void aServerBackUpFromAnOutageAfterAWindowWithErrorsClosedIsHealthyAtRise() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            // Given a minute [60, 120) with 10 failures among 40 checks, closed by the check at 130 s
            for (int i = 0; i < 40; i++) {
                aggregator.check("s1", at(60).plusMillis(1_500L * i), i % 4 != 3);
            }
            for (int second = 120; second <= 130; second += 2) {
                aggregator.check("s1", at(second), true);
            }
            // When it then goes down (fall failures) and comes back (rise successes), all before the next window closes
            for (int second = 132; second <= 136; second += 2) {
                aggregator.check("s1", at(second), false);
            }
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            aggregator.check("s1", at(138), true);
            aggregator.check("s1", at(140), true);

            // Then the outage is over: HEALTHY at rise, and it stays so while it passes
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            for (int second = 142; second <= 176; second += 2) {
                aggregator.check("s1", at(second), true);
            }
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            // And a failure after it came back makes the closed window's error rate count again
            aggregator.check("s1", at(178), false);
            ServerHealth failedAgain = aggregator.healthTable().get("s1");
            assertThat(failedAgain.getStatus()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(failedAgain.getReason()).startsWith("error rate");
        }
    }

    @Test
    void aServerWithoutChecksForThreeIntervalsBecomesUnknownOnTheWallClock() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.driver.advanceWallClockTime(Duration.ofSeconds(120));
            assertThat(aggregator.healthRecords()).isEmpty();

            aggregator.driver.advanceWallClockTime(Duration.ofSeconds(10));
            ServerHealth stale = aggregator.healthTable().get("s1");
            assertThat(stale.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(stale.getReason())
                    .startsWith("no health check for 100 s")
                    .contains("3 check intervals");
            assertThat(stale.getConsecutiveSuccesses()).isZero();
            assertThat(aggregator.events())
                    .extracting(ServerEvent::getType)
                    .containsExactly("SERVER_STALE", "STATUS_CHANGED");

            aggregator.check("s1", at(140), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            aggregator.check("s1", at(141), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void aDisabledServerIsDisabledAndStartsAgainFromUnknownWhenEnabled() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.config(server("s1", "production", "eu-west", c -> c.setIsEnabled(false)), at(40));
            ServerHealth disabled = aggregator.healthTable().get("s1");
            assertThat(disabled.getStatus()).isEqualTo(HealthStatus.DISABLED);
            assertThat(disabled.getIsEnabled()).isFalse();
            aggregator.driver.advanceWallClockTime(Duration.ofMinutes(10));
            assertThat(aggregator.healthRecords()).isEmpty();

            aggregator.config(server("s1"), at(700));
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            aggregator.check("s1", at(701), true);
            aggregator.check("s1", at(702), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(aggregator.events())
                    .extracting(event -> event.getDetails().get("to"))
                    .containsExactly("DISABLED", "UNKNOWN", "HEALTHY");
        }
    }

    @Test
    void aDrainingServerIsDrainingWhileCheckedAndHealthyAgainWhenDrainEnds() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.config(server("s1", "production", "eu-west", c -> c.setDraining(true)), at(40));
            aggregator.check("s1", at(60), true);
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.DRAINING);

            aggregator.config(server("s1"), at(70));
            assertThat(aggregator.healthTable().get("s1").getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(aggregator.events())
                    .extracting(event -> event.getDetails().get("to"))
                    .containsExactly("DRAINING", "HEALTHY");
        }
    }

    @Test
    void aDeletedServerLeavesTheTableWithATombstone() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.configs.pipeInput("s1", null, at(50));

            assertThat(aggregator.healthRecords()).containsExactly(KeyValue.pair("s1", null));
            assertThat(aggregator.events())
                    .singleElement()
                    .satisfies(event -> assertThat(event.getType()).isEqualTo("SERVER_REMOVED"));
            KeyValueStore<String, ServerHealth> store = aggregator.driver.getKeyValueStore(StatsTopology.HEALTH_STORE);
            assertThat(store.get("s1")).isNull();
        }
    }

    @Test
    void checksOfAnUnknownServerAreCountedAndKeptUntilItsConfigArrives() {
        try (AggregatorDriver aggregator = AggregatorDriver.withDefaults()) {
            aggregator.check("ghost", at(1), true);
            aggregator.check("ghost", at(2), true);

            assertThat(aggregator.healthRecords()).isEmpty();
            assertThat(aggregator.events()).singleElement().satisfies(event -> {
                assertThat(event.getType()).isEqualTo("UNKNOWN_SERVER_CHECK");
                assertThat(event.getServerId()).isEqualTo("ghost");
            });
            assertThat(metric(aggregator, "unknown-server-checks-total")).isEqualTo(2.0);

            aggregator.config(server("ghost"), at(3));
            ServerHealth known = aggregator.healthTable().get("ghost");
            assertThat(known.getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(known.getConsecutiveSuccesses()).isEqualTo(2);
        }
    }

    @Test
    void successesPastRisePublishNothingNewUntilTheHeartbeat() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.check("s1", at(40), true);
            aggregator.check("s1", at(50), true);
            assertThat(aggregator.healthRecords()).isEmpty();

            aggregator.check("s1", at(61), true);
            assertThat(aggregator.healthRecords())
                    .singleElement()
                    .satisfies(
                            record -> assertThat(record.value.getLastCheckAt()).isEqualTo(at(61)));
        }
    }

    @Test
    void statsArePartOfTheRecord() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            ServerStats stats = ServerStats.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setServerId("s1")
                    .setRecordedAt(at(40))
                    .setCpu(42.0)
                    .setTotalUsers(12)
                    .build();
            aggregator.stats.pipeInput("s1", stats, at(40));

            assertThat(aggregator.healthTable().get("s1").getStats()).isEqualTo(stats);
        }
    }

    @Test
    void capacityAlertsAtEightyAndNinetyFivePercentAndWhenBackToNormal() {
        try (AggregatorDriver aggregator = healthyServer("s1")) {
            aggregator.checks.pipeInput("s1", reporting("s1", at(40), "healthy", 79));
            aggregator.checks.pipeInput("s1", reporting("s1", at(41), "healthy", 80));
            aggregator.checks.pipeInput("s1", reporting("s1", at(42), "healthy", 90));
            aggregator.checks.pipeInput("s1", reporting("s1", at(43), "healthy", 96));
            aggregator.checks.pipeInput("s1", reporting("s1", at(44), "healthy", 50));

            List<ServerEvent> events = aggregator.events();
            assertThat(events)
                    .extracting(ServerEvent::getType)
                    .containsExactly("CAPACITY_WARNING", "CAPACITY_CRITICAL", "CAPACITY_NORMAL");
            assertThat(events)
                    .extracting(ServerEvent::getLevel)
                    .containsExactly(EventLevel.WARNING, EventLevel.CRITICAL, EventLevel.INFO);
            assertThat(events.get(1).getDetails()).containsEntry("connectedAccounts", "96");
        }
    }

    /** A driver in which s1 (production / eu-west) went HEALTHY at 30 s; its output so far is read and dropped. */
    static AggregatorDriver healthyServer(String id) {
        AggregatorDriver aggregator = AggregatorDriver.withDefaults();
        aggregator.config(server(id), at(0));
        aggregator.check(id, at(0), true);
        aggregator.check(id, at(30), true);
        assertThat(aggregator.healthTable().get(id).getStatus()).isEqualTo(HealthStatus.HEALTHY);
        aggregator.events();
        return aggregator;
    }

    private static double metric(AggregatorDriver aggregator, String name) {
        return aggregator.driver.metrics().entrySet().stream()
                .filter(entry -> entry.getKey().name().equals(name))
                .map(java.util.Map.Entry::getValue)
                .map(Metric::metricValue)
                .mapToDouble(value -> ((Number) value).doubleValue())
                .sum();
    }
}
