package io.wafleet.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthCheck;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Workers share the fleet by partition: two split it with no overlap, and one takes it all when the other stops. */
@WafleetIntegrationTest
class ProbeWorkersTest {

    private static final Duration INTERVAL = Duration.ofMillis(500);

    @Test
    void twoWorkersSplitTheFleetAndOneTakesItAllWhenTheOtherStops(KafkaCluster kafka) throws Exception {
        List<ServerSpec> specs = IntStream.range(0, 20)
                .mapToObj(i -> ServerSpec.builder("srv-" + i, Dialect.SEED)
                        .latency(1, 5)
                        .build())
                .toList();
        try (SimulatedFleet fleet = SimulatedFleet.start(specs);
                ProbeFixture fixture = new ProbeFixture(kafka)) {
            for (SimulatedServer server : fleet.servers()) {
                fixture.publish(ProbeFixture.config(server, INTERVAL).build());
            }
            ConfigurableApplicationContext first = fixture.startWorker("probe-a");
            ProbeScheduler a = first.getBean(ProbeScheduler.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> a.owned() == 20);
            ConfigurableApplicationContext second = fixture.startWorker("probe-b");
            ProbeScheduler b = second.getBean(ProbeScheduler.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> a.owned() > 0 && b.owned() > 0 && a.owned() + b.owned() == 20);

            Instant split = Instant.now().plus(INTERVAL);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> serversCheckedSince(fixture, split).size() == 20);
            Map<String, Set<String>> probesByServer = new HashMap<>();
            for (HealthCheck check : fixture.checksSince(split)) {
                probesByServer
                        .computeIfAbsent(check.getServerId(), id -> new HashSet<>())
                        .add(check.getProbeId());
            }
            assertThat(probesByServer).hasSize(20);
            assertThat(probesByServer.values())
                    .allSatisfy(probes -> assertThat(probes).hasSize(1));
            assertThat(probesByServer.values().stream().flatMap(Set::stream).distinct())
                    .containsExactlyInAnyOrder("probe-a", "probe-b");

            String prometheus = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                            + second.getEnvironment().getProperty("local.server.port")
                                            + "/actuator/prometheus"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(prometheus)
                    .contains("wafleet_probe_checks_total{application=\"wafleet-health-probe\",kind=\"none\","
                            + "result=\"success\"}")
                    .contains("wafleet_probe_servers_owned{application=\"wafleet-health-probe\"} " + (double) b.owned())
                    .contains("wafleet_probe_schedule_lag_seconds");

            first.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> b.owned() == 20);
            Instant rebalanced = Instant.now();
            // Every server is probed again within one interval (plus a little slack) after the rebalance.
            await().atMost(INTERVAL.plusMillis(700))
                    .until(() -> fixture.checksSince(rebalanced).stream()
                                    .filter(check -> check.getProbeId().equals("probe-b"))
                                    .map(HealthCheck::getServerId)
                                    .distinct()
                                    .count()
                            == 20);
        }
    }

    private static Set<String> serversCheckedSince(ProbeFixture fixture, Instant since) {
        Set<String> servers = new HashSet<>();
        fixture.checksSince(since).forEach(check -> servers.add(check.getServerId()));
        return servers;
    }
}
