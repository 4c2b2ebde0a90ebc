package io.wafleet.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.ServerConfig;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.ApiKeyCipher;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** One worker against simulated servers: intervals, timeouts, faults, retries, config changes, bad configs. */
@WafleetIntegrationTest
class ProbeBehaviourTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void checksFollowTheIntervalAndAHangingServerTimesOutWithoutDelayingOthers(KafkaCluster kafka) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(
                        List.of(ServerSpec.of("steady", Dialect.SEED), ServerSpec.of("hanging", Dialect.SEED)));
                ProbeFixture fixture = new ProbeFixture(kafka)) {
            fleet.server("hanging").fault(Fault.of(Fault.Mode.HANG));
            fixture.publish(ProbeFixture.config(fleet.server("steady"), Duration.ofMillis(400))
                    .build());
            fixture.publish(ProbeFixture.config(fleet.server("hanging"), Duration.ofMillis(400))
                    .setRequestTimeout(300)
                    .build());
            fixture.startWorker("probe-1");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fixture.checksOf("steady").size() >= 8
                            && fixture.checksOf("hanging").size() >= 2);

            List<HealthCheck> steady = fixture.checksOf("steady");
            for (int i = 1; i < steady.size(); i++) {
                long gap = Duration.between(
                                steady.get(i - 1).getCheckedAt(), steady.get(i).getCheckedAt())
                        .toMillis();
                assertThat(gap).as("gap between checks %d and %d", i - 1, i).isBetween(300L, 650L);
            }
            assertThat(steady).allSatisfy(check -> {
                assertThat(check.getSuccess()).isTrue();
                assertThat(check.getReport().getStatus()).isEqualTo("healthy");
            });
            assertThat(fixture.stats)
                    .as("a SEED server reports stats (fetched after a successful check, every stats-interval)")
                    .anySatisfy(stats -> assertThat(stats.getServerId()).isEqualTo("steady"))
                    .noneSatisfy(stats -> assertThat(stats.getServerId()).isEqualTo("hanging"));
            assertThat(fixture.checksOf("hanging")).allSatisfy(check -> {
                assertThat(check.getErrorKind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(check.getLatencyMicros()).isBetween(280_000L, 1_000_000L);
            });
        }
    }

    @Test
    void eachFaultGivesItsErrorKindAndRetriesAreCounted(KafkaCluster kafka) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(List.of(
                        ServerSpec.of("down", Dialect.WAHA),
                        ServerSpec.of("error", Dialect.SEED),
                        ServerSpec.of("garbage", Dialect.EVOLUTION),
                        ServerSpec.of("huge", Dialect.SEED)));
                ProbeFixture fixture = new ProbeFixture(kafka)) {
            fleet.server("down").fault(Fault.of(Fault.Mode.DOWN));
            fleet.server("error").fault(Fault.error(503));
            fleet.server("garbage").fault(Fault.of(Fault.Mode.MALFORMED));
            fleet.server("huge").fault(Fault.of(Fault.Mode.OVERSIZED));
            for (SimulatedServer server : fleet.servers()) {
                fixture.publish(ProbeFixture.config(server, Duration.ofMillis(500))
                        .setMaxRetries(2)
                        .build());
            }
            fixture.startWorker("probe-1");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.servers().stream()
                            .allMatch(server -> !fixture.checksOf(server.id()).isEmpty()));

            assertFailed(fixture, "down", ErrorKind.CONNECT_REFUSED, null);
            assertFailed(fixture, "error", ErrorKind.HTTP_STATUS, 503);
            assertFailed(fixture, "garbage", ErrorKind.BAD_BODY, 200);
            assertFailed(fixture, "huge", ErrorKind.BAD_BODY, null);
            assertThat(fleet.server("error").requestCount())
                    .as("1 try + 2 retries per check")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void configUpdatesDisablingAndDeletionTakeEffect(KafkaCluster kafka) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(List.of(
                        ServerSpec.of("updated", Dialect.SEED),
                        ServerSpec.of("disabled", Dialect.SEED),
                        ServerSpec.of("deleted", Dialect.SEED)));
                ProbeFixture fixture = new ProbeFixture(kafka)) {
            for (SimulatedServer server : fleet.servers()) {
                fixture.publish(
                        ProbeFixture.config(server, Duration.ofMillis(300)).build());
            }
            ConfigurableApplicationContext worker = fixture.startWorker("probe-1");
            ProbeScheduler scheduler = worker.getBean(ProbeScheduler.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fleet.servers().stream()
                            .allMatch(server -> fixture.checksOf(server.id()).size() >= 2));

            fixture.publish(ProbeFixture.config(fleet.server("updated"), Duration.ofMillis(300))
                    .setHealthCheckEndpoint("/api/nowhere")
                    .build());
            fixture.publish(ProbeFixture.config(fleet.server("disabled"), Duration.ofMillis(300))
                    .setIsEnabled(false)
                    .build());
            fixture.publishRaw("deleted", null);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !scheduler.owns("disabled") && !scheduler.owns("deleted"));
            Instant changed = Instant.now();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> fixture.checksSince(changed).stream()
                            .anyMatch(check -> check.getServerId().equals("updated") && !check.getSuccess()));
            HealthCheck afterUpdate = fixture.checksSince(changed).stream()
                    .filter(check -> check.getServerId().equals("updated"))
                    .reduce((first, last) -> last)
                    .orElseThrow();
            assertThat(afterUpdate.getErrorKind()).isEqualTo(ErrorKind.HTTP_STATUS);
            assertThat(afterUpdate.getHttpStatus()).isEqualTo(404);
            // A check already under way when the change arrived may still land; none starts after it.
            assertThat(fixture.checksSince(changed.plusMillis(100)))
                    .noneMatch(check -> check.getServerId().equals("disabled")
                            || check.getServerId().equals("deleted"));
        }
    }

    @Test
    void anInvalidConfigGoesToDeadLettersAndOthersKeepBeingProbed(KafkaCluster kafka) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(List.of(
                        ServerSpec.builder("keyed", Dialect.WAHA)
                                .apiKey("waha-secret")
                                .build(),
                        ServerSpec.of("broken", Dialect.SEED),
                        ServerSpec.of("moved", Dialect.WAHA)));
                ProbeFixture fixture = new ProbeFixture(kafka)) {
            ApiKeyCipher cipher = ApiKeyCipher.fromBase64Key(KEY);
            ServerConfig keyed = ProbeFixture.config(fleet.server("keyed"), Duration.ofMillis(300))
                    .build();
            keyed.setApiKeyCiphertext(cipher.encrypt("waha-secret", ApiKeyCipher.Binding.of(keyed)));
            fixture.publish(keyed);
            // keyed's ciphertext copied to another server: bound to keyed, it does not open there.
            fixture.publish(ProbeFixture.config(fleet.server("moved"), Duration.ofMillis(300))
                    .setApiKeyCiphertext(keyed.getApiKeyCiphertext())
                    .build());
            fixture.publish(ProbeFixture.config(fleet.server("broken"), Duration.ofMillis(300))
                    .setPort(0)
                    .build());
            fixture.publishRaw("garbage", "not a config".getBytes(StandardCharsets.UTF_8));
            var worker = fixture.startWorker("probe-1", "wafleet.probe.api-key-encryption-key=" + KEY);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fixture.deadLetters.size() >= 3
                            && fixture.checksOf("keyed").size() >= 2);

            assertThat(fixture.checksOf("keyed"))
                    .allSatisfy(check -> assertThat(check.getSuccess()).isTrue());
            assertThat(fixture.checksOf("broken")).isEmpty();
            assertThat(fixture.checksOf("moved")).isEmpty();
            assertThat(fixture.deadLetters)
                    .anySatisfy(letter -> assertThat(header(letter, DeadLetters.ERROR_HEADER))
                            .contains("server config moved: apiKeyCiphertext: the encrypted API key does not decrypt"
                                    + " with this key for this server's id and origin"));
            assertThat(fixture.deadLetters)
                    .anySatisfy(letter -> assertThat(header(letter, DeadLetters.ERROR_HEADER))
                            .contains("server config broken: port must be between 1 and 65535, was 0"));
            assertThat(fixture.deadLetters)
                    .anySatisfy(letter -> assertThat(header(letter, DeadLetters.ERROR_HEADER))
                            .contains("cannot decode ServerConfig"));
            assertThat(worker.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                            .counter("wafleet.probe.dead.letters")
                            .count())
                    .as("dead letters counted for the alert")
                    .isEqualTo(3.0);
        }
    }

    @Test
    void aServerOutsideItsAllowedIpsIsAFailedCheckOfItsOwnKindAndOneWarning(KafkaCluster kafka) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(
                        List.of(ServerSpec.of("fenced", Dialect.SEED), ServerSpec.of("metadata", Dialect.SEED)));
                ProbeFixture fixture = new ProbeFixture(kafka)) {
            // The simulator listens on 127.0.0.1, outside 10.0.0.0/8; the second one is told to dial the metadata
            // address.
            fixture.publish(ProbeFixture.config(fleet.server("fenced"), Duration.ofMillis(200))
                    .setAllowedIps(List.of("10.0.0.0/8"))
                    .setMaxRetries(2)
                    .build());
            fixture.publish(ProbeFixture.config(fleet.server("metadata"), Duration.ofMillis(200))
                    .setIpAddress("169.254.169.254")
                    .build());
            fixture.startWorker("probe-1");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fixture.checksOf("fenced").size() >= 4
                            && fixture.checksOf("metadata").size() >= 4);

            for (String server : List.of("fenced", "metadata")) {
                assertThat(fixture.checksOf(server)).allSatisfy(check -> {
                    assertThat(check.getSuccess()).isFalse();
                    assertThat(check.getErrorKind()).isEqualTo(ErrorKind.ADDRESS_REFUSED);
                    assertThat(check.getAttempts())
                            .as("a refusal is not retried")
                            .isEqualTo(1);
                });
            }
            assertThat(fixture.checksOf("fenced").get(0).getErrorMessage()).contains("outside allowedIps [10.0.0.0/8]");
            assertThat(fixture.checksOf("metadata").get(0).getErrorMessage()).contains("link-local or metadata");
            assertThat(fleet.server("fenced").requestCount()).isZero();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(fixture.events)
                            .filteredOn(event -> event.getServerId().equals("fenced"))
                            .singleElement()
                            .satisfies(event -> {
                                assertThat(event.getType()).isEqualTo("SERVER_ADDRESS_REFUSED");
                                assertThat(event.getLevel()).isEqualTo(io.wafleet.avro.EventLevel.WARNING);
                            }));
        }
    }

    @Test
    void aServerOfAVersionWafleetDoesNotSpeakIsAFailedCheckWithItsReasonAndOneWarning(KafkaCluster kafka)
            throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(List.of(
                        ServerSpec.builder("old-waha", Dialect.WAHA)
                                .version("2024.8.5")
                                .tier("CORE")
                                .build(),
                        ServerSpec.builder("waha", Dialect.WAHA).build()));
                ProbeFixture fixture = new ProbeFixture(kafka)) {
            for (String server : List.of("old-waha", "waha")) {
                fixture.publish(ProbeFixture.config(fleet.server(server), Duration.ofMillis(200))
                        .setHealthCheckEndpoint("/api/server/status")
                        .setMaxRetries(2)
                        .build());
            }
            fixture.startWorker("probe-1");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> fixture.checksOf("old-waha").size() >= 3
                            && fixture.checksOf("waha").size() >= 3);

            assertThat(fixture.checksOf("old-waha")).allSatisfy(check -> {
                assertThat(check.getSuccess()).isFalse();
                assertThat(check.getErrorKind()).isEqualTo(ErrorKind.UNSUPPORTED_SERVER);
                assertThat(check.getErrorMessage()).isEqualTo("WAHA older than 2024.9: no /api/server/status");
                assertThat(check.getAttempts())
                        .as("an unsupported server is not retried")
                        .isEqualTo(1);
            });
            assertThat(fixture.checksOf("waha")).allSatisfy(check -> {
                assertThat(check.getSuccess()).isTrue();
                assertThat(check.getReport().getTier()).isEqualTo("PLUS");
                assertThat(check.getReport().getVersion()).isEqualTo("2024.10.8");
            });
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(fixture.events)
                            .filteredOn(event -> event.getServerId().equals("old-waha"))
                            .singleElement()
                            .satisfies(event -> {
                                assertThat(event.getType()).isEqualTo("SERVER_UNSUPPORTED");
                                assertThat(event.getLevel()).isEqualTo(io.wafleet.avro.EventLevel.WARNING);
                                assertThat(event.getMessage()).contains("WAHA older than 2024.9");
                            }));
        }
    }

    private static void assertFailed(ProbeFixture fixture, String serverId, ErrorKind kind, Integer status) {
        assertThat(fixture.checksOf(serverId)).allSatisfy(check -> {
            assertThat(check.getSuccess()).isFalse();
            assertThat(check.getErrorKind()).isEqualTo(kind);
            assertThat(check.getHttpStatus()).isEqualTo(status);
            assertThat(check.getAttempts()).isEqualTo(3);
        });
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
