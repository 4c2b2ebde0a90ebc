package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import io.wafleet.simulator.TlsMaterial;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Certificates are verified by default: a self-signed one is refused unless a trust store holds it. */
class TlsVerificationTest {

    private static SimulatedFleet fleet;
    private static SimulatedServer server;

    @BeforeAll
    static void startHttpsServer() {
        fleet = SimulatedFleet.start(
                List.of(ServerSpec.builder("tls", Dialect.SEED).tls(true).build()));
        server = fleet.server("tls");
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aSelfSignedCertificateIsRefusedByDefault() {
        try (ServerClients clients = new ServerClients(ClientSettings.defaults())) {
            CallResult<?> result = clients.forEndpoint(endpoint()).health().join();

            assertThat(result)
                    .isInstanceOfSatisfying(
                            CallResult.Failed.class,
                            failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.TLS));
        }
    }

    @Test
    void theCertificateIsAcceptedWithATrustStoreThatHoldsIt() {
        TlsMaterial tls = fleet.tls().orElseThrow();
        ClientSettings settings = ClientSettings.defaults().withTrustStore(tls.keyStore(), tls.password());

        try (ServerClients clients = new ServerClients(settings)) {
            assertThat(clients.forEndpoint(endpoint())
                            .health()
                            .join()
                            .orElseThrow()
                            .getStatus())
                    .isEqualTo("healthy");
        }
    }

    @Test
    void verificationCanBeTurnedOffPerServer() {
        try (ServerClients clients = new ServerClients(ClientSettings.defaults())) {
            assertThat(clients.forEndpoint(endpoint().withVerifyTls(false))
                            .health()
                            .join()
                            .isOk())
                    .isTrue();
        }
    }

    private static ServerEndpoint endpoint() {
        assertThat(server.baseUrl()).startsWith("https://");
        return ServerEndpoint.of("tls", server.baseUrl(), Dialect.SEED)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
