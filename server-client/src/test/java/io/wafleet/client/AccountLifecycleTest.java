package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthReport;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each dialect's adapter against a simulated server of that dialect, over real HTTP, through a whole account life. */
class AccountLifecycleTest {

    private static SimulatedFleet fleet;
    private static ServerClients clients;

    @BeforeAll
    static void startFleet() {
        fleet = SimulatedFleet.start(
                java.util.stream.Stream.concat(ServerVariants.ALL.stream(), ServerVariants.UNSUPPORTED.stream())
                        .toList());
        clients = new ServerClients(ClientSettings.defaults());
    }

    @AfterAll
    static void stopFleet() {
        clients.close();
        fleet.close();
    }

    @ParameterizedTest
    @MethodSource("io.wafleet.client.ServerVariants#ids")
    void anAccountConnectsThroughItsQrAndDisconnects(String variant) throws Exception {
        SimulatedServer server = fleet.server(variant);
        ServerClient client = clients.forEndpoint(endpoint(server));
        String account = "acct-" + variant + "-1";
        String session = server.spec().wahaCore() ? "default" : account;

        HealthReport before = client.health().join().orElseThrow();
        assertThat(before.getStatus()).isEqualTo("healthy");
        assertThat(before.getVersion()).isEqualTo(server.spec().version());
        assertThat(before.getTier()).isEqualTo(server.spec().tier());
        assertThat(before.getAccounts().getConnected()).isZero();

        SessionInfo connecting = client.connect(account, "Account One").join().orElseThrow();
        assertThat(connecting.state()).isIn(AccountState.CONNECTING, AccountState.QR_REQUIRED);

        SessionInfo waiting = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> client.status(account).join().orElseThrow(),
                        info -> info.state() == AccountState.QR_REQUIRED);
        assertThat(QrDecoder.decode(waiting.qrCode())).contains(session);
        assertThat(server.accounts()).containsEntry(session, "SCAN_QR_CODE");

        SessionInfo refreshed = client.refreshQr(account).join().orElseThrow();
        assertThat(refreshed.state()).isEqualTo(AccountState.QR_REQUIRED);
        assertThat(QrDecoder.decode(refreshed.qrCode())).contains(session);

        assertThat(server.scan(account)).isTrue();
        assertThat(client.status(account).join().orElseThrow().state()).isEqualTo(AccountState.CONNECTED);
        assertThat(client.health().join().orElseThrow().getAccounts().getConnected())
                .isEqualTo(1);

        SessionInfo gone = client.disconnect(account).join().orElseThrow();
        assertThat(gone.state()).isEqualTo(AccountState.DISCONNECTED);
        assertThat(server.accounts()).doesNotContainKey(session);
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
    @MethodSource("io.wafleet.client.ServerVariants#ids")
    void connectingAnAccountAgainKeepsItsSession(String variant) {
        SimulatedServer server = fleet.server(variant);
        ServerClient client = clients.forEndpoint(endpoint(server));
        String account = "acct-" + variant + "-again";
        client.connect(account, null).join().orElseThrow();

        CallResult<SessionInfo> again = client.connect(account, null).join();

        assertThat(again.isOk()).as("second connect: %s", again).isTrue();
        assertThat(server.accounts()).containsKey(server.spec().wahaCore() ? "default" : account);
        client.disconnect(account).join().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("io.wafleet.client.ServerVariants#ids")
    void aConnectionThatDropsComesBackWithoutAQrAndIsNeverReportedDisconnected(String variant) {
        SimulatedServer server = fleet.server(variant);
        if (variant.equals("seed")) {
            return; // the seed contract has no reconnecting state to show
        }
        ServerClient client = clients.forEndpoint(endpoint(server));
        String account = "acct-" + variant + "-drop";
        client.connect(account, null).join().orElseThrow();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.status(account).join().orElseThrow().state() == AccountState.QR_REQUIRED);
        assertThat(server.scan(account)).isTrue();
        assertThat(client.status(account).join().orElseThrow().state()).isEqualTo(AccountState.CONNECTED);

        assertThat(server.drop(account)).isTrue();
        SessionInfo dropped = client.status(account).join().orElseThrow();

        if (variant.equals("evolution-1.8.2")) {
            // v1.8 stores nothing that tells a reconnect from a QR wait, and still holds the QR of before (README).
            assertThat(dropped.state()).isEqualTo(AccountState.QR_REQUIRED);
        } else {
            assertThat(dropped.state()).as("%s", dropped).isEqualTo(AccountState.CONNECTING);
            assertThat(dropped.qrCode()).isNull();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.status(account).join().orElseThrow().state() == AccountState.CONNECTED);
        client.disconnect(account).join().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"waha-core-2024.8.5", "evolution-1.7.5"})
    void anUnsupportedVersionIsAFailedCheckWithItsReasonAndConnectsNothing(String variant) {
        SimulatedServer server = fleet.server(variant);
        ServerClient client = clients.forEndpoint(endpoint(server));

        CallResult<HealthReport> health = client.health().join();
        CallResult<SessionInfo> connect =
                client.connect("acct-" + variant, null).join();

        for (CallResult<?> result : java.util.List.of(health, connect)) {
            assertThat(result).isInstanceOfSatisfying(CallResult.Failed.class, failed -> {
                assertThat(failed.kind()).isEqualTo(ErrorKind.UNSUPPORTED_SERVER);
                assertThat(failed.message())
                        .isIn(
                                "WAHA older than 2024.9: no /api/server/status",
                                "WAHA older than 2024.9: no /api/server/version",
                                "Evolution API 1.7.5 is not supported: wafleet speaks v1.8 and v2.x");
            });
        }
        assertThat(server.accounts()).as("no session started").allSatisfy((session, state) -> {
            assertThat(session).isEqualTo("default");
            assertThat(state).isEqualTo("STOPPED");
        });
    }

    @ParameterizedTest
    @MethodSource("io.wafleet.client.ServerVariants#ids")
    void onlySeedServersReportStats(String variant) {
        ServerClient client = clients.forEndpoint(endpoint(fleet.server(variant)));

        Optional<StatsReport> stats = client.stats().join().orElseThrow();

        if (variant.equals("seed")) {
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
    @MethodSource("io.wafleet.client.ServerVariants#ids")
    void aWrongApiKeyIsAnHttpStatusFailure(String variant) {
        SimulatedServer server = fleet.server(variant);
        ServerClient client = clients.forEndpoint(endpoint(server).withApiKey("wrong"));

        CallResult<HealthReport> result = client.health().join();

        if (server.spec().wahaCore()) {
            assertThat(result.isOk())
                    .as("WAHA Core 2024 checks no API key: %s", result)
                    .isTrue();
            return;
        }
        assertThat(result).isInstanceOfSatisfying(CallResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(ErrorKind.HTTP_STATUS);
            assertThat(failed.httpStatus()).isEqualTo(401);
            assertThat(failed.message()).doesNotContain(ServerVariants.key(variant));
        });
    }

    static ServerEndpoint endpoint(SimulatedServer server) {
        return ServerEndpoint.of(server.id(), server.baseUrl(), server.dialect())
                .withApiKey(server.spec().apiKey())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
