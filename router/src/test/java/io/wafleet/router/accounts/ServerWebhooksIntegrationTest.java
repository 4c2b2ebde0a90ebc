package io.wafleet.router.accounts;

import static io.wafleet.avro.AccountState.CONNECTED;
import static io.wafleet.avro.AccountState.QR_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ServerNotice;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.ApiKeyCipher;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import io.wafleet.simulator.WebhookOut;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The servers' own events against a real broker, router and simulated WAHA Plus, WAHA Core and Evolution servers that
 * send them as the real ones do: with events on, a scan is CONNECTED long before the next poll; with the receiver
 * out of reach, or deliveries lost, polling still gets there; duplicates connect an account once; a delivery must
 * prove its server, and one that cannot be read is a dead letter without the secrets it carried.
 */
@WafleetIntegrationTest
class ServerWebhooksIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final String env;
    private final HttpClient http = HttpClient.newHttpClient();

    ServerWebhooksIntegrationTest(KafkaCluster kafka) {
        fixture = new RouterFixture(kafka);
        env = fixture.prefix;
        fleet = SimulatedFleet.start(List.of(
                ServerSpec.builder(env + "-plus", Dialect.WAHA)
                        .tier("PLUS")
                        .apiKey("plus-secret-key")
                        .build(),
                ServerSpec.builder(env + "-core", Dialect.WAHA)
                        .tier("CORE")
                        .waitScale(0.01)
                        .build(),
                ServerSpec.builder(env + "-evolution", Dialect.EVOLUTION)
                        .version("2.3.6")
                        .apiKey("evolution-secret-key")
                        .waitScale(0.01)
                        .build()));
        for (SimulatedServer server : fleet.servers()) {
            fixture.addServer(server, server.id(), 1);
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
        fleet.close();
    }

    @Test
    void withEventsOnAScanIsConnectedLongBeforeTheNextPoll() {
        // Polls every 30 s: only a server's own event can tell the router of the scan sooner.
        ConfigurableApplicationContext router =
                ready(fixture.startRouter("wafleet.router.accounts.status-poll-interval=30s"));

        for (SimulatedServer server : fleet.servers()) {
            String account = connectAndWaitForQr(server);
            long scanned = System.nanoTime();
            assertThat(server.scan(account))
                    .as("scan %s on %s: %s", account, server.id(), server.accounts())
                    .isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> fixture.states(account).contains(CONNECTED));
            assertThat(Duration.ofNanos(System.nanoTime() - scanned))
                    .as("scan to CONNECTED on %s", server.id())
                    .isLessThan(Duration.ofSeconds(10));
        }
        // Logged out on the phone: Evolution's close with 401, confirmed by its API, with what it asks of the user.
        SimulatedServer evolution = fleet.server(env + "-evolution");
        String loggedOut = "hook-" + evolution.id();
        assertThat(evolution.logoutOnPhone(loggedOut)).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fixture.last(loggedOut).getState() == io.wafleet.avro.AccountState.DISCONNECTED);
        assertThat(fixture.last(loggedOut).getReason()).contains("logged out on the phone: needs a new QR");

        assertThat(fixture.notices).isNotEmpty();
        for (ConsumerRecord<byte[], byte[]> record : fixture.notices) {
            ServerNotice notice = fixture.topics
                    .serverNotices()
                    .valueSerde()
                    .deserializer()
                    .deserialize(record.topic(), record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(notice.getAccountId());
            assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
                    .doesNotContainIgnoringCase("apikey")
                    .doesNotContain("evolution-secret-key")
                    .doesNotContain(secret(notice.getServerId()));
        }
        router.close();
    }

    @Test
    void withTheReceiverOutOfReachAccountsStillConnectByPolling() {
        ready(fixture.startRouter(
                "wafleet.router.accounts.status-poll-interval=300ms",
                "wafleet.router.webhooks.receiver-url=http://127.0.0.1:9"));

        for (SimulatedServer server : fleet.servers()) {
            String account = connectAndWaitForQr(server);
            assertThat(server.scan(account))
                    .as("scan %s on %s: %s", account, server.id(), server.accounts())
                    .isTrue();
            await().atMost(WAIT).until(() -> fixture.states(account).contains(CONNECTED));
            assertThat(((Number) server.webhookCounts().get("failed")).longValue())
                    .as("%s tried to deliver", server.id())
                    .isPositive();
        }
        assertThat(fixture.notices).isEmpty();
    }

    @Test
    void duplicatedAndReorderedDeliveriesConnectAnAccountOnceAndLostOnesAreCoveredByPolling() {
        SimulatedServer plus = fleet.server(env + "-plus");
        SimulatedServer evolution = fleet.server(env + "-evolution");
        plus.webhookFaults(new WebhookOut.Faults(0, 1, Duration.ofMillis(300)));
        evolution.webhookFaults(new WebhookOut.Faults(1, 0, Duration.ZERO));
        ready(fixture.startRouter("wafleet.router.accounts.status-poll-interval=1s"));

        String onPlus = connectAndWaitForQr(plus);
        String onEvolution = connectAndWaitForQr(evolution);
        assertThat(plus.scan(onPlus)).isTrue();
        assertThat(evolution.scan(onEvolution)).isTrue();

        await().atMost(WAIT)
                .until(() -> fixture.states(onPlus).contains(CONNECTED)
                        && fixture.states(onEvolution).contains(CONNECTED));
        // Every copy of every delivery has arrived within the 300 ms jitter; the account stays connected once.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> fixture.states(onPlus).stream()
                                .filter(CONNECTED::equals)
                                .count()
                        == 1);
        assertThat(((Number) evolution.webhookCounts().get("lost")).longValue()).isPositive();
        assertThat(((Number) evolution.webhookCounts().get("sent")).longValue()).isZero();
    }

    @Test
    void aDeliveryMustProveItsServerAndOneThatCannotBeReadIsADeadLetterWithoutItsSecrets() {
        ConfigurableApplicationContext router = ready(fixture.startRouter());
        String evolution = env + "-evolution";
        String body = "{\"event\":\"connection.update\",\"instance\":\"a-1\",\"data\":{\"state\":\"exploded\"},"
                + "\"apikey\":\"INSTANCE-KEY-123\"}";

        assertThat(deliver(router, "/api/v1/webhooks/" + evolution, null, body).statusCode())
                .isEqualTo(401);
        assertThat(deliver(router, "/api/v1/webhooks/" + evolution, secret(env + "-plus"), body)
                        .statusCode())
                .as("another server's secret")
                .isEqualTo(401);
        assertThat(deliver(router, "/api/v1/webhooks/nobody", secret("nobody"), body)
                        .statusCode())
                .as("a server that is not configured")
                .isEqualTo(401);
        assertThat(deliver(router, "/api/v1/%77ebhooks/" + evolution, null, body)
                        .statusCode())
                .as("an encoded path")
                .isEqualTo(401);
        assertThat(deliver(router, "/api/v1/webhooks/" + evolution + "?token=wrong", null, body)
                        .statusCode())
                .isEqualTo(401);
        assertThat(fixture.deadLetters).isEmpty();

        HttpResponse<String> unreadable = deliver(router, "/api/v1/webhooks/" + evolution, secret(evolution), body);
        assertThat(unreadable.statusCode()).isEqualTo(422);
        assertThat(unreadable.body()).contains("unknown Evolution connection state 'exploded'");
        await().atMost(WAIT).until(() -> !fixture.deadLetters.isEmpty());
        ConsumerRecord<byte[], byte[]> letter = fixture.deadLetters.peek();
        assertThat(new String(
                        letter.headers().lastHeader(DeadLetters.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                .contains("exploded");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8))
                .contains("exploded")
                .doesNotContain("INSTANCE-KEY-123");

        String good = body.replace("exploded", "open");
        HttpResponse<String> accepted =
                deliver(router, "/api/v1/webhooks/" + evolution + "?token=" + secret(evolution), null, good);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).contains("noticeId");
        await().atMost(WAIT).until(() -> !fixture.notices.isEmpty());
    }

    @Test
    void evolutionsOwnKafkaEventsBecomeTheSameNoticesWithoutTheirApiKey() throws Exception {
        SimulatedServer evolution = fleet.server(env + "-evolution");
        String topic = env + ".evolution.acc-k.connection.update";
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                fixture.kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
                    .all()
                    .get();
        }
        ready(fixture.startRouter("wafleet.router.webhooks.evolution-topics=" + env + "\\.evolution\\..*"));
        // EvolutionAPI/evolution-api 2.3.6 kafka.controller.ts: the message it writes for an instance's event.
        String event = "{\"event\":\"connection.update\",\"instance\":\"acc-k\",\"data\":{\"instance\":\"acc-k\","
                + "\"state\":\"close\",\"statusReason\":401},\"server_url\":\"" + evolution.baseUrl() + "\","
                + "\"date_time\":\"2026-12-04T07:00:00.000Z\",\"sender\":null,\"apikey\":\"INSTANCE-KEY-9\","
                + "\"timestamp\":1764831600000}";
        String stranger = event.replace(evolution.baseUrl(), "http://elsewhere:8080");

        // Sent until the routers' group has its partition (it starts at the end, as a new group does).
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            fixture.sendRaw(topic, "acc-k", event);
            assertThat(fixture.notices).isNotEmpty();
        });
        fixture.sendRaw(topic, "acc-k", stranger);

        ConsumerRecord<byte[], byte[]> record = fixture.notices.peek();
        ServerNotice notice =
                fixture.topics.serverNotices().valueSerde().deserializer().deserialize(record.topic(), record.value());
        assertThat(notice.getServerId()).isEqualTo(evolution.id());
        assertThat(notice.getAccountId()).isEqualTo("acc-k");
        assertThat(notice.getReason()).contains("needs a new QR");
        assertThat(notice.getServerTime()).isEqualTo(java.time.Instant.ofEpochMilli(1764831600000L));
        assertThat(new String(record.value(), StandardCharsets.ISO_8859_1)).doesNotContain("INSTANCE-KEY-9");
        await().atMost(WAIT)
                .until(() -> fixture.deadLetters.stream()
                        .anyMatch(letter -> new String(
                                        letter.headers()
                                                .lastHeader(DeadLetters.ERROR_HEADER)
                                                .value(),
                                        StandardCharsets.UTF_8)
                                .contains("no configured Evolution server")));
        assertThat(fixture.deadLetters)
                .allSatisfy(letter -> assertThat(new String(letter.value(), StandardCharsets.UTF_8))
                        .doesNotContain("INSTANCE-KEY-9"));
    }

    private ConfigurableApplicationContext ready(ConfigurableApplicationContext router) {
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        return router;
    }

    private String connectAndWaitForQr(SimulatedServer server) {
        String account = "hook-" + server.id();
        fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(server.id())
                .build());
        try {
            await().atMost(WAIT).until(() -> fixture.states(account).contains(QR_REQUIRED));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    account + " on " + server.id() + ": " + fixture.eventsOf(account) + "; deliveries "
                            + server.webhookCounts() + "; notices " + fixture.notices.size(),
                    e);
        }
        return account;
    }

    private static String secret(String serverId) {
        return ApiKeyCipher.fromBase64Key(RouterFixture.ENCRYPTION_KEY)
                .derivedSecrets("webhook:" + serverId)
                .get(0);
    }

    private HttpResponse<String> deliver(
            ConfigurableApplicationContext router, String path, String bearer, String body) {
        String port = router.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
