package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthReport;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each dialect's adapter against a simulated server of that dialect, over real HTTP, through a whole account life. */
class AccountLifecycleTest {

    private static SimulatedFleet fleet;
    private static ServerClients clients;

    @BeforeAll
    static void startFleet() {
        fleet = SimulatedFleet.start(Arrays.stream(Dialect.values())
                .map(dialect -> ServerSpec.builder(dialect.name(), dialect)
                        .apiKey("key-" + dialect.name().toLowerCase())
                        .version("v-" + dialect.name().toLowerCase())
                        .build())
                .toList());
        clients = new ServerClients(ClientSettings.defaults());
    }

    @AfterAll
    static void stopFleet() {
        clients.close();
        fleet.close();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anAccountConnectsThroughItsQrAndDisconnects(Dialect dialect) throws Exception {
        SimulatedServer server = fleet.server(dialect.name());
        ServerClient client = clients.forEndpoint(endpoint(server));
        String account = "acct-" + dialect.name().toLowerCase() + "-1";

        HealthReport before = client.health().join().orElseThrow();
        assertThat(before.getStatus()).isEqualTo("healthy");
        assertThat(before.getVersion()).isEqualTo("v-" + dialect.name().toLowerCase());
        assertThat(before.getAccounts().getConnected()).isZero();

        SessionInfo connecting = client.connect(account, "Account One").join().orElseThrow();
        assertThat(connecting.state()).isIn(AccountState.CONNECTING, AccountState.QR_REQUIRED);

        SessionInfo waiting = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> client.status(account).join().orElseThrow(),
                        session -> session.state() == AccountState.QR_REQUIRED);
        assertThat(QrDecoder.decode(waiting.qrCode())).contains(account);
        assertThat(server.accounts()).containsEntry(account, "SCAN_QR_CODE");

        SessionInfo refreshed = client.refreshQr(account).join().orElseThrow();
        assertThat(refreshed.state()).isEqualTo(AccountState.QR_REQUIRED);
        assertThat(QrDecoder.decode(refreshed.qrCode())).contains(account);

        assertThat(server.scan(account)).isTrue();
        assertThat(client.status(account).join().orElseThrow().state()).isEqualTo(AccountState.CONNECTED);
        assertThat(client.health().join().orElseThrow().getAccounts().getConnected())
                .isEqualTo(1);

        SessionInfo gone = client.disconnect(account).join().orElseThrow();
        assertThat(gone.state()).isEqualTo(AccountState.DISCONNECTED);
        assertThat(server.accounts()).doesNotContainKey(account);
        assertThat(client.disconnect(account).join().orElseThrow().state())
                .as("disconnecting an account the server no longer knows")
                .isEqualTo(AccountState.DISCONNECTED);
        CallResult<SessionInfo> unknown = client.status(account).join();
        assertThat(unknown).isInstanceOfSatisfying(CallResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(ErrorKind.HTTP_STATUS);
            assertThat(failed.httpStatus()).isEqualTo(404);
        });
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void connectingAnAccountAgainKeepsItsSession(Dialect dialect) {
        SimulatedServer server = fleet.server(dialect.name());
        ServerClient client = clients.forEndpoint(endpoint(server));
        String account = "acct-" + dialect.name().toLowerCase() + "-again";
        client.connect(account, null).join().orElseThrow();

        CallResult<SessionInfo> again = client.connect(account, null).join();

        assertThat(again.isOk()).as("second connect: %s", again).isTrue();
        assertThat(server.accounts()).containsKey(account);
        client.disconnect(account).join().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void onlySeedServersReportStats(Dialect dialect) {
        ServerClient client = clients.forEndpoint(endpoint(fleet.server(dialect.name())));

        Optional<StatsReport> stats = client.stats().join().orElseThrow();

        if (dialect == Dialect.SEED) {
            assertThat(stats).hasValueSatisfying(report -> {
                assertThat(report.cpu()).isNotNull();
                assertThat(report.isHealthy()).isTrue();
                assertThat(report.p99ResponseTime()).isPositive();
            });
        } else {
            assertThat(stats).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aWrongApiKeyIsAnHttpStatusFailure(Dialect dialect) {
        SimulatedServer server = fleet.server(dialect.name());
        ServerClient client = clients.forEndpoint(endpoint(server).withApiKey("wrong"));

        CallResult<HealthReport> result = client.health().join();

        assertThat(result).isInstanceOfSatisfying(CallResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(ErrorKind.HTTP_STATUS);
            assertThat(failed.httpStatus()).isEqualTo(401);
            assertThat(failed.message()).doesNotContain("key-" + dialect.name().toLowerCase());
        });
    }

    static ServerEndpoint endpoint(SimulatedServer server) {
        return ServerEndpoint.of(server.id(), server.baseUrl(), server.dialect())
                .withApiKey(server.spec().apiKey())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
