package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.schemas.TrustStores;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import io.wafleet.simulator.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** What an operator with a private CA gives: its certificate as PEM, trusted besides the JDK's CAs. */
    @Test
    void aPemBundleOfTheServersCaVerifiesItAndThePublicCasStayTrusted(@TempDir Path dir) throws Exception {
        TlsMaterial tls = fleet.tls().orElseThrow();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(tls.keyStore())) {
            store.load(in, tls.password());
        }
        Certificate certificate = store.getCertificate(store.aliases().nextElement());
        Path pem = dir.resolve("server-ca.pem");
        Files.writeString(
                pem,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        ClientSettings settings = ClientSettings.defaults().withTrustStore(pem.toString(), "");

        try (ServerClients clients = new ServerClients(settings)) {
            assertThat(clients.forEndpoint(endpoint()).health().join().isOk()).isTrue();
        }
        int jdk = TrustStores.authorities(null, null).length;
        assertThat(jdk).as("the JDK ships public CAs").isGreaterThan(50);
        assertThat(TrustStores.authorities(pem, null)).hasSize(jdk + 1).contains((X509Certificate) certificate);
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
