package io.wafleet.router.accounts;

import static io.wafleet.avro.AccountState.PENDING;
import static io.wafleet.avro.AccountState.QR_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server that refuses connections, while the health table still says HEALTHY (no aggregator runs here): the
 * router stops choosing it on its own calls' failures, and still reports each failure as a PASSIVE check.
 */
@WafleetIntegrationTest
class OutlierEjectionIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CONNECTS = 30;

    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final String env;

    OutlierEjectionIntegrationTest(KafkaCluster kafka) {
        fixture = new RouterFixture(kafka);
        env = fixture.prefix;
        fleet = SimulatedFleet.start(IntStream.range(0, 3)
                .mapToObj(i -> ServerSpec.builder(env + "-s" + i, Dialect.SEED).build())
                .toList());
    }

    @AfterEach
    void stop() {
        fixture.close();
        fleet.close();
    }

    /** Connects 30 accounts one after the other, with s0 refusing; the attempts that chose s0. */
    private ConfigurableApplicationContext router;

    private long attemptsOnTheRefusingServer(String... routerSettings) {
        fleet.servers().forEach(server -> fixture.addServer(server, env, 1));
        router = fixture.startRouter(routerSettings);
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        SimulatedServer refusing = fleet.server(env + "-s0");
        refusing.fault(Fault.of(Fault.Mode.DOWN));

        for (int i = 0; i < CONNECTS; i++) {
            HttpResponse<String> reply = fixture.call(
                    router,
                    "POST",
                    "/api/v1/accounts/" + env + "-a" + i + "/connect",
                    "{\"environment\":\"" + env + "\"}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).contains("\"status\":\"qr_required\"").doesNotContain(refusing.id());
        }
        // The answers came over HTTP; the test's own reader of the events topic may be behind them.
        await().atMost(WAIT)
                .untilAsserted(() -> IntStream.range(0, CONNECTS)
                        .forEach(i -> assertThat(fixture.states(env + "-a" + i)).endsWith(QR_REQUIRED)));
        List<ConnectionEvent> attempts = IntStream.range(0, CONNECTS)
                .mapToObj(i -> fixture.eventsOf(env + "-a" + i))
                .flatMap(List::stream)
                .filter(e -> e.getState() == PENDING)
                .toList();
        long onRefusing = attempts.stream()
                .filter(e -> refusing.id().equals(e.getServerId()))
                .count();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(fixture.checks.stream()
                                .filter(c -> c.getServerId().equals(refusing.id())
                                        && c.getSource() == CheckSource.PASSIVE
                                        && c.getErrorKind() == ErrorKind.CONNECT_REFUSED)
                                .count())
                        .as("every failed call still goes to the aggregator as a PASSIVE check")
                        .isEqualTo(onRefusing));
        return onRefusing;
    }

    @Test
    void threeFailedCallsInARowEjectTheServerFromThisRoutersSelectionAtOnce() {
        long onRefusing = attemptsOnTheRefusingServer();

        assertThat(onRefusing).as("chosen until its third failure, never after").isEqualTo(3);
        assertThat(fixture.management(router, "/actuator/prometheus").body().lines())
                .anyMatch(line -> line.startsWith("wafleet_router_outlier_ejections_total{") && line.endsWith(" 1.0"))
                .anyMatch(line -> line.startsWith("wafleet_router_outlier_ejected{") && line.endsWith(" 1.0"));
    }

    @Test
    void withEjectionOffTheServerIsChosenOnUntilTheHealthTableSaysOtherwise() {
        long onRefusing = attemptsOnTheRefusingServer("wafleet.router.outliers.enabled=false");

        assertThat(onRefusing).as("about a third of the accounts try it first").isGreaterThan(6);
    }
}
