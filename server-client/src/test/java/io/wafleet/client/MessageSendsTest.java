package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.Dialect;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.SessionSends;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each dialect's send against a simulated server of that dialect and version, over real HTTP: a sent message has the
 * id its acknowledgements will name, and every refusal is classified as what it means for sending again.
 */
class MessageSendsTest {

    private static SimulatedFleet fleet;
    private static ServerClients clients;

    @BeforeAll
    static void startFleet() {
        fleet = SimulatedFleet.start(ServerVariants.ALL);
        clients = new ServerClients(ClientSettings.defaults());
    }

    @AfterAll
    static void stopFleet() {
        clients.close();
        fleet.close();
    }

    @ParameterizedTest
    @MethodSource("io.wafleet.client.ServerVariants#ids")
    void aConnectedAccountSendsAndEveryRefusalIsClassified(String variant) {
        SimulatedServer server = fleet.server(variant);
        ServerClient client = clients.forEndpoint(AccountLifecycleTest.endpoint(server));
        String account = "send-" + variant;

        // Before the account has a session on the server.
        assertRefused(client.send(account, "491701234567", "hi").join(), SendResult.Refusal.NOT_CONNECTED);

        client.connect(account, "Sender").join().orElseThrow();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.scan(account));
        SendResult sent = client.send(account, "491701234567", "hello\nthere").join();
        assertThat(sent).as(variant).isInstanceOfSatisfying(SendResult.Sent.class, ok -> {
            assertThat(ok.serverMessageId()).isNotBlank();
            if (server.dialect() == Dialect.WAHA) {
                // WAHA's acknowledgements name a message <fromMe>_<chat>_<id> (WEBJS id._serialized).
                assertThat(ok.serverMessageId()).startsWith("true_491701234567@c.us_");
            }
        });
        assertThat(server.messageCounts().get("sent")).isEqualTo(1L);

        assertRefused(client.send(account, "999123456", "hi").join(), SendResult.Refusal.REJECTED);

        server.messageFaults(new SessionSends.Faults(0, 1, Duration.ofMillis(200)));
        SendResult once = client.send(account, "491701234568", "once").join();
        assertThat(once).isInstanceOf(SendResult.Sent.class);
        assertRefused(client.send(account, "491701234568", "twice").join(), SendResult.Refusal.RATE_LIMITED);
        server.messageFaults(SessionSends.Faults.NONE);

        server.fault(Fault.of(Fault.Mode.DOWN));
        try {
            assertRefused(client.send(account, "491701234567", "hi").join(), SendResult.Refusal.NOT_SENT);
        } finally {
            server.recover();
        }
        ServerClient impatient = clients.forEndpoint(
                AccountLifecycleTest.endpoint(server).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
        server.fault(Fault.of(Fault.Mode.HANG));
        try {
            SendResult unknown = impatient.send(account, "491701234567", "hi").join();
            // WAHA asks its version first: with no answer to that nothing was sent.
            assertRefused(unknown, SendResult.Refusal.OUTCOME_UNKNOWN, SendResult.Refusal.NOT_SENT);
        } finally {
            server.recover();
        }
        client.disconnect(account).join().orElseThrow();
        assertRefused(client.send(account, "491701234567", "hi").join(), SendResult.Refusal.NOT_CONNECTED);
    }

    private static void assertRefused(SendResult result, SendResult.Refusal... refusals) {
        assertThat(result).isInstanceOfSatisfying(SendResult.Refused.class, refused -> {
            assertThat(refused.refusal()).as(refused.reason()).isIn((Object[]) refusals);
            assertThat(refused.reason()).isNotBlank();
        });
    }
}
