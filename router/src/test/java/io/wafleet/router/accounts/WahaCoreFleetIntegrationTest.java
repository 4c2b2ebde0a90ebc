package io.wafleet.router.accounts;

import static io.wafleet.avro.AccountState.CONNECTED;
import static io.wafleet.avro.AccountState.DISCONNECTED;
import static io.wafleet.avro.AccountState.QR_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.Dialect;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A mixed fleet with a WAHA Core server (one session, {@code default}, whatever its config says): it gets exactly one
 * account, never a second, and that account lives its whole life in {@code default}; then a migration moves it to an
 * Evolution server and frees the Core server for the next.
 */
@WafleetIntegrationTest
class WahaCoreFleetIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final String env;

    WahaCoreFleetIntegrationTest(KafkaCluster kafka) {
        fixture = new RouterFixture(kafka);
        env = fixture.prefix;
        fleet = SimulatedFleet.start(List.of(
                ServerSpec.builder(env + "-core", Dialect.WAHA)
                        .tier("CORE")
                        .capacity(5, 100)
                        .waitScale(0.01)
                        .build(),
                ServerSpec.builder(env + "-plus", Dialect.WAHA)
                        .tier("PLUS")
                        .apiKey("plus-secret-key")
                        .build(),
                ServerSpec.builder(env + "-evolution", Dialect.EVOLUTION)
                        .version("2.3.6")
                        .apiKey("evolution-secret-key")
                        .waitScale(0.01)
                        .build()));
    }

    @AfterEach
    void stop() {
        fixture.close();
        fleet.close();
    }

    @Test
    void aWahaCoreServerTakesExactlyOneAccountAndNeverASecond() {
        SimulatedServer core = fleet.server(env + "-core");
        SimulatedServer plus = fleet.server(env + "-plus");
        fixture.addServer(core, env, 1);
        fixture.addServer(plus, env, 1);
        ConfigurableApplicationContext router = fixture.startRouter();
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);

        List<String> accounts =
                IntStream.range(0, 8).mapToObj(i -> "mixed-" + i + "-" + env).toList();
        accounts.forEach(account -> fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(env)
                .build()));
        await().atMost(WAIT)
                .until(() -> accounts.stream().allMatch(a -> fixture.states(a).contains(QR_REQUIRED)));

        Map<String, List<String>> byServer = accounts.stream()
                .collect(Collectors.groupingBy(a -> fixture.last(a).getServerId()));
        assertThat(byServer.get(core.id())).as("accounts on the Core server").hasSize(1);
        assertThat(byServer.get(plus.id())).hasSize(accounts.size() - 1);
        assertThat(core.accounts()).containsOnlyKeys("default");
        assertThat(plus.accounts()).hasSize(accounts.size() - 1);

        // The Core account connects and disconnects through 'default'.
        String onCore = byServer.get(core.id()).get(0);
        assertThat(core.scan(onCore)).isTrue();
        await().atMost(WAIT).until(() -> fixture.states(onCore).contains(CONNECTED));
        // A second account asked onto the Core server by name is refused, the first stays connected.
        String second = "second-" + env;
        fixture.post(RouterFixture.request(second, ConnectionAction.CONNECT)
                .setServerId(core.id())
                .build());
        await().atMost(WAIT).until(() -> fixture.eventsOf(second).size() >= 2);
        ConnectionEvent refused = fixture.last(second);
        assertThat(refused.getServerId()).isNotEqualTo(core.id());
        assertThat(core.accounts()).containsExactly(Map.entry("default", "WORKING"));

        // Migrated to an Evolution server: 'default' is deleted, the account scans a new QR there.
        SimulatedServer evolution = fleet.server(env + "-evolution");
        fixture.addServer(evolution, env, 2);
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/api/v1/servers", null)
                        .body()
                        .contains(evolution.id()));
        fixture.post(RouterFixture.request(onCore, ConnectionAction.MIGRATE)
                .setServerId(evolution.id())
                .build());
        await().atMost(WAIT)
                .until(() -> evolution.id().equals(fixture.last(onCore).getServerId())
                        && fixture.last(onCore).getState() == QR_REQUIRED);
        assertThat(core.accounts()).isEmpty();
        assertThat(evolution.scan(onCore)).isTrue();
        await().atMost(WAIT).until(() -> fixture.last(onCore).getState() == CONNECTED);

        fixture.post(RouterFixture.request(onCore, ConnectionAction.DISCONNECT).build());
        await().atMost(WAIT).until(() -> fixture.last(onCore).getState() == DISCONNECTED);
        assertThat(evolution.accounts()).isEmpty();
    }
}
