package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * allowedIps and ipAddress applied to the address each call connects to, with loopback aliases: the simulated server
 * listens on 127.0.0.1; 127.0.0.2 and 127.0.0.3 are other addresses of the same machine.
 */
class AddressPolicyTest {

    private static SimulatedFleet fleet;
    private static SimulatedServer server;
    private static ServerClients clients;

    @BeforeAll
    static void start() {
        fleet = SimulatedFleet.start(List.of(ServerSpec.of("policy", Dialect.SEED)));
        server = fleet.server("policy");
        clients = new ServerClients(ClientSettings.defaults());
    }

    @AfterAll
    static void stop() {
        clients.close();
        fleet.close();
    }

    @Test
    void anAddressInsideAllowedIpsIsCalled() {
        assertThat(call("127.0.0.1", null, List.of("127.0.0.0/8")).isOk()).isTrue();
        assertThat(call("127.0.0.1", null, List.of("127.0.0.1")).isOk()).isTrue();
    }

    @Test
    void anAddressOutsideAllowedIpsIsRefusedWithItsOwnKindBeforeAnyConnection() {
        // A connection opened under an allowing policy is pooled; it must not carry the refused call.
        assertThat(call("127.0.0.1", null, List.of("127.0.0.0/8")).isOk()).isTrue();
        long before = server.requestCount();
        CallResult<?> refused = call("127.0.0.1", null, List.of("127.0.0.2/32", "10.0.0.0/8"));

        assertFailed(refused, "127.0.0.1 is outside allowedIps [127.0.0.2/32, 10.0.0.0/8]");
        assertThat(server.requestCount()).as("nothing reached the server").isEqualTo(before);
    }

    @Test
    void aHostnameIsCheckedOnTheAddressItResolvesTo() {
        // localhost resolves to loopback: allowed by 127.0.0.0/8, refused when only 127.0.0.3 is allowed.
        assertThat(call("localhost", null, List.of("127.0.0.0/8", "::1/128")).isOk())
                .isTrue();
        assertFailed(call("localhost", null, List.of("127.0.0.3/32")), "is outside allowedIps [127.0.0.3/32]");
    }

    @Test
    void ipAddressIsTheAddressDialledForTheHostname() {
        // A name nobody can resolve: only ipAddress makes the call possible.
        assertThat(call("wa-policy.invalid", "127.0.0.1", List.of()).isOk()).isTrue();
        assertThat(call("wa-policy.invalid", null, List.of()))
                .isInstanceOfSatisfying(
                        CallResult.Failed.class,
                        failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.DNS));
        // ipAddress must itself be allowed.
        assertFailed(call("wa-policy.invalid", "127.0.0.2", List.of("127.0.0.1/32")), "127.0.0.2 is outside");
    }

    @Test
    void linkLocalAndMetadataAddressesAreRefusedUnlessAllowedExplicitly() {
        assertFailed(call("metadata.invalid", "169.254.169.254", List.of()), "link-local or metadata");
        assertFailed(call("metadata.invalid", "fd00:ec2::254", List.of()), "link-local or metadata");
        assertFailed(call("169.254.169.254", null, List.of("0.0.0.0/0")), "link-local or metadata");
        // Named within its own range, it is the operator's choice (refused here only because nothing listens).
        assertThat(call("metadata.invalid", "169.254.169.254", List.of("169.254.169.254/32")))
                .isInstanceOfSatisfying(
                        CallResult.Failed.class,
                        failed -> assertThat(failed.kind()).isNotEqualTo(ErrorKind.ADDRESS_REFUSED));
    }

    private static void assertFailed(CallResult<?> result, String message) {
        assertThat(result).isInstanceOfSatisfying(CallResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(ErrorKind.ADDRESS_REFUSED);
            assertThat(failed.message()).contains(message);
        });
    }

    private static CallResult<?> call(String host, String ipAddress, List<String> allowedIps) {
        return clients.forEndpoint(ServerEndpoint.of("policy", "http://" + host + ":" + server.port(), Dialect.SEED)
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                        .withAddressPolicy(AddressPolicy.of(ipAddress, allowedIps)))
                .health()
                .join();
    }
}
