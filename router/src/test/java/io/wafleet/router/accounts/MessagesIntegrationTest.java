package io.wafleet.router.accounts;

import static io.wafleet.avro.AccountState.CONNECTED;
import static io.wafleet.avro.AccountState.QR_REQUIRED;
import static io.wafleet.avro.MessageStatus.DELIVERED;
import static io.wafleet.avro.MessageStatus.FAILED;
import static io.wafleet.avro.MessageStatus.QUEUED;
import static io.wafleet.avro.MessageStatus.READ;
import static io.wafleet.avro.MessageStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.MessageEvent;
import io.wafleet.avro.MessageFailure;
import io.wafleet.avro.MessageProgress;
import io.wafleet.avro.MessageStatus;
import io.wafleet.avro.OutboundMessage;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SessionSends;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Outbound messages against a real broker, router and simulated servers of every dialect: a message posted on the
 * topic or through the API goes out through its account's server in that server's dialect and is acknowledged
 * through the server's webhooks; every failure class is reported with its reason; a router that stops and one that
 * takes over send each message once.
 */
@WafleetIntegrationTest
class MessagesIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RECIPIENT = "491701234567";

    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final String env;

    MessagesIntegrationTest(KafkaCluster kafka) {
        fixture = new RouterFixture(kafka);
        env = fixture.prefix;
        fleet = SimulatedFleet.start(List.of(
                ServerSpec.builder(env + "-seed", Dialect.SEED).build(),
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
                        .build(),
                ServerSpec.builder(env + "-evolution18", Dialect.EVOLUTION)
                        .version("1.8.2")
                        .apiKey("evolution-18-key")
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
    void aMessageGoesOutThroughEachDialectAndItsAcknowledgementsComeBack() {
        ConfigurableApplicationContext router = ready(fixture.startRouter());
        for (SimulatedServer server : fleet.servers()) {
            String account = connected(server);
            HttpResponse<String> posted = postMessage(router, account, "m-" + server.id(), RECIPIENT, "hello\nthere");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            assertThat(posted.body()).contains("\"messageId\":\"m-" + server.id() + "\"");
        }
        // One more as a producer without Avro posts it: JSON on the topic.
        String plusAccount = "msg-" + env + "-plus";
        fixture.sendRaw(
                fixture.topics.outboundMessages().name(),
                plusAccount,
                "{\"messageId\":\"json-1\",\"accountId\":\"" + plusAccount + "\",\"recipient\":\"+" + RECIPIENT
                        + "\",\"text\":\"from kcat\",\"metadata\":{\"order\":\"4711\"}}");

        for (SimulatedServer server : fleet.servers()) {
            String account = "msg-" + server.id();
            String message = "m-" + server.id();
            // The seed contract has no webhooks: SENT is its last step; WAHA and Evolution acknowledge.
            List<MessageStatus> expected =
                    server.dialect() == Dialect.SEED ? List.of(QUEUED, SENT) : List.of(QUEUED, SENT, DELIVERED, READ);
            await().atMost(WAIT)
                    .alias(String.format(
                            "%s on %s: %s", message, server.id(), fixture.messageEventsOf(account, message)))
                    .until(() -> fixture.steps(account, message).equals(expected));
            MessageEvent sent = fixture.messageEventsOf(account, message).get(1);
            assertThat(sent.getServerId()).isEqualTo(server.id());
            assertThat(sent.getServerMessageId()).isNotBlank();
            assertThat(sent.getRecipient()).isEqualTo(RECIPIENT);
            if (!server.id().endsWith("-plus")) {
                assertThat(server.messageCounts().get("sent")).as(server.id()).isEqualTo(1L);
            }
        }
        await().atMost(WAIT)
                .until(() -> fixture.steps(plusAccount, "json-1").equals(List.of(QUEUED, SENT, DELIVERED, READ)));
        assertThat(fixture.messageEventsOf(plusAccount, "json-1").get(0).getMetadata())
                .containsEntry("order", "4711");
        // The same message id posted again is not sent again.
        assertThat(postMessage(router, plusAccount, "json-1", RECIPIENT, "again")
                        .statusCode())
                .isEqualTo(202);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> fixture.steps(plusAccount, "json-1").size() == 4);
        assertThat(fleet.server(env + "-plus").messageCounts().get("sent")).isEqualTo(2L);
    }

    @Test
    void everyFailureIsReportedWithItsClassAndReason() {
        ConfigurableApplicationContext router = ready(fixture.startRouter(
                "wafleet.router.messages.per-account-per-minute=6000",
                "wafleet.router.messages.account-limits.msg-" + env + "-evolution18=1",
                "wafleet.router.messages.retry-every=100ms"));
        SimulatedServer plus = fleet.server(env + "-plus");
        SimulatedServer evolution = fleet.server(env + "-evolution");
        SimulatedServer evolution18 = fleet.server(env + "-evolution18");
        SimulatedServer seed = fleet.server(env + "-seed");
        String onPlus = connected(plus);
        String onEvolution = connected(evolution);
        String onEvolution18 = connected(evolution18);
        String onSeed = connected(seed);
        String waiting = connectOnly(fleet.server(env + "-core"));

        postMessage(router, "nobody", "unknown", RECIPIENT, "hi");
        postMessage(router, onEvolution, "not-on-whatsapp", "999123456", "hi");
        postMessage(router, onPlus, "not-on-whatsapp", "999123456", "hi");
        postExpiring(router, waiting, "never-scanned", Duration.ofSeconds(1));
        // WhatsApp refuses a session's second send within its minute: the message waits and expires RATE_LIMITED.
        plus.messageFaults(new SessionSends.Faults(0, 1, Duration.ofMillis(50)));
        postMessage(router, onPlus, "first", RECIPIENT, "hi");
        postExpiring(router, onPlus, "second", Duration.ofSeconds(2));
        // Its own limit is one a minute: the second waits its turn and expires.
        postMessage(router, onEvolution18, "turn-1", RECIPIENT, "hi");
        postExpiring(router, onEvolution18, "turn-2", Duration.ofSeconds(1));

        assertFailed("nobody", "unknown", MessageFailure.ACCOUNT_NOT_CONNECTED, "not known");
        assertFailed(onEvolution, "not-on-whatsapp", MessageFailure.REJECTED, "not on WhatsApp");
        assertFailed(onPlus, "not-on-whatsapp", MessageFailure.REJECTED, "HTTP 500");
        assertFailed(waiting, "never-scanned", MessageFailure.ACCOUNT_NOT_CONNECTED, "QR_REQUIRED");
        await().atMost(WAIT).until(() -> fixture.steps(onPlus, "first").contains(SENT));
        assertFailed(onPlus, "second", MessageFailure.RATE_LIMITED, "rate-overlimit");
        await().atMost(WAIT).until(() -> fixture.steps(onEvolution18, "turn-1").contains(SENT));
        assertFailed(onEvolution18, "turn-2", MessageFailure.EXPIRED, "waiting its turn");

        // A server down: its messages wait (no other server takes them) and fail at expiry; once it is back they go.
        fixture.health(evolution, evolution.id(), 1, HealthStatus.UNHEALTHY);
        postExpiring(router, onEvolution, "while-down", Duration.ofSeconds(1));
        assertFailed(onEvolution, "while-down", MessageFailure.SERVER_DOWN, "UNHEALTHY");
        postExpiring(router, onEvolution, "waits-for-it", Duration.ofSeconds(20));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> fixture.steps(onEvolution, "waits-for-it").equals(List.of(QUEUED)));
        fixture.health(evolution, evolution.id(), 1, HealthStatus.HEALTHY);
        await().atMost(WAIT)
                .until(() -> fixture.steps(onEvolution, "waits-for-it").contains(SENT));

        // A server that takes the request and never answers: it may have sent it, so it is not sent again.
        seed.fault(Fault.of(Fault.Mode.HANG));
        postMessage(router, onSeed, "no-answer", RECIPIENT, "hi");
        assertFailed(onSeed, "no-answer", MessageFailure.OUTCOME_UNKNOWN, "not sent again");
        seed.recover();

        // Bad input: a 400 naming the field, a record that cannot be read goes to the dead letters.
        HttpResponse<String> bad = postMessage(router, onPlus, "bad", "not a number", "hi");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(bad.body()).contains("recipient");
        HttpResponse<String> noText = fixture.call(
                router, "POST", "/api/v1/accounts/" + onPlus + "/messages", "{\"recipient\":\"" + RECIPIENT + "\"}");
        assertThat(noText.statusCode()).isEqualTo(400);
        assertThat(noText.body()).contains("text");
        assertThat(fixture.callAs(
                                router,
                                null,
                                "POST",
                                "/api/v1/accounts/" + onPlus + "/messages",
                                "{\"recipient\":\"" + RECIPIENT + "\",\"text\":\"hi\"}")
                        .statusCode())
                .isEqualTo(401);
        fixture.sendRaw(fixture.topics.outboundMessages().name(), onPlus, "{not json");
        await().atMost(WAIT).until(() -> fixture.deadLetters.stream().anyMatch(this::outboundDeadLetter));
        // The stream goes on after it.
        postMessage(router, onEvolution, "after-the-bad-one", RECIPIENT, "hi");
        await().atMost(WAIT)
                .until(() -> fixture.steps(onEvolution, "after-the-bad-one").contains(SENT));
    }

    @Test
    void aRouterThatTakesOverSendsEachMessageOnceAndFailsTheOneLeftInDoubt() {
        SimulatedServer plus = fleet.server(env + "-plus");
        ConfigurableApplicationContext first =
                ready(fixture.startRouter("wafleet.router.messages.per-account-per-minute=120"));
        String account = connected(plus);
        String doubtful = connected(fleet.server(env + "-core"));
        for (int i = 0; i < 6; i++) {
            postMessage(first, account, "batch-" + i, RECIPIENT, "message " + i);
        }
        await().atMost(WAIT).until(() -> fixture.steps(account, "batch-1").contains(SENT));
        first.close();

        // As if a router had died during a send: its progress says a send of the account was under way at the
        // offset of the next message posted, which the next owner must not send.
        fixture.send(
                fixture.topics.messageProgress(),
                doubtful,
                MessageProgress.newBuilder()
                        .setAccountId(doubtful)
                        .setLastOffset(-1)
                        .setSending(nextOffset(doubtful))
                        .setRecent(List.of())
                        .setUpdatedAt(Instant.now())
                        .build());
        fixture.send(
                fixture.topics.outboundMessages(),
                doubtful,
                OutboundMessage.newBuilder()
                        .setMessageId("in-doubt")
                        .setAccountId(doubtful)
                        .setRecipient(RECIPIENT)
                        .setText("was it sent?")
                        .build());

        ready(fixture.startRouter("wafleet.router.messages.per-account-per-minute=120"));
        for (int i = 0; i < 6; i++) {
            String message = "batch-" + i;
            await().atMost(WAIT)
                    .alias(message)
                    .until(() -> fixture.steps(account, message).contains(SENT));
        }
        assertFailed(doubtful, "in-doubt", MessageFailure.OUTCOME_UNKNOWN, "stopped while sending");
        // Nothing more comes for them: each was sent once, by one router or the other.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> fixture.steps(account, "batch-5").size() >= 2);
        for (int i = 0; i < 6; i++) {
            assertThat(fixture.steps(account, "batch-" + i).stream()
                            .filter(SENT::equals)
                            .count())
                    .as("batch-%d sent once", i)
                    .isEqualTo(1);
        }
        assertThat(plus.messageCounts().get("sent")).as("sends the server took").isEqualTo(6L);
        assertThat(fleet.server(env + "-core").messageCounts().get("sent")).isEqualTo(0L);
    }

    @Test
    void aMigratedAccountsWaitingMessagesGoThroughItsNewServer() {
        ConfigurableApplicationContext router = ready(fixture.startRouter());
        SimulatedServer plus = fleet.server(env + "-plus");
        SimulatedServer evolution = fleet.server(env + "-evolution");
        String account = connected(plus);
        postMessage(router, account, "before", RECIPIENT, "from the first server");
        await().atMost(WAIT).until(() -> fixture.steps(account, "before").contains(SENT));

        fixture.post(RouterFixture.request(account, ConnectionAction.MIGRATE)
                .setServerId(evolution.id())
                .build());
        await().atMost(WAIT).until(() -> evolution.accounts().containsKey(account));
        // Posted while the account moves: it waits for the account, on no server in particular.
        postMessage(router, account, "while-moving", RECIPIENT, "from the new server");
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> fixture.steps(account, "while-moving").equals(List.of(QUEUED)));
        assertThat(evolution.scan(account)).isTrue();

        await().atMost(WAIT).until(() -> fixture.steps(account, "while-moving").contains(SENT));
        MessageEvent sent = fixture.messageEventsOf(account, "while-moving").stream()
                .filter(event -> event.getStatus() == SENT)
                .findFirst()
                .orElseThrow();
        assertThat(sent.getServerId()).isEqualTo(evolution.id());
        assertThat(fixture.messageEventsOf(account, "before").get(1).getServerId())
                .isEqualTo(plus.id());
        assertThat(evolution.messageCounts().get("sent")).isEqualTo(1L);
        assertThat(plus.messageCounts().get("sent")).isEqualTo(1L);
    }

    @Test
    void aRouterWhoseMessagesTopicIsNotPartitionedAsItsRequestsExitsForARestart() throws Exception {
        String other = env + ".outbound-3";
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                fixture.kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(other, 3, (short) 1)))
                    .all()
                    .get();
        }
        java.util.concurrent.CompletableFuture<Integer> exited = new java.util.concurrent.CompletableFuture<>();
        io.wafleet.service.ProcessExit.replaceWith(exited::complete);
        try {
            // The topic exists with 3 partitions while the requests have 6: the owner of request partition p could
            // not send the messages of partition p.
            fixture.startRouter("wafleet.topics.outbound-messages.name=" + other);
            assertThat(exited.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            io.wafleet.service.ProcessExit.replaceWith(
                    status -> new Thread(() -> System.exit(status), "wafleet-exit").start());
        }
    }

    private void assertFailed(String account, String message, MessageFailure failure, String reason) {
        await().atMost(WAIT)
                .alias(String.format("%s of %s: %s", message, account, fixture.messageEventsOf(account, message)))
                .until(() -> fixture.steps(account, message).contains(FAILED));
        MessageEvent failed = fixture.messageEventsOf(account, message).stream()
                .filter(event -> event.getStatus() == FAILED)
                .findFirst()
                .orElseThrow();
        assertThat(failed.getFailure())
                .as("%s: %s", message, failed.getReason())
                .isEqualTo(failure);
        assertThat(failed.getReason()).contains(reason);
        assertThat(fixture.steps(account, message)).doesNotContain(SENT);
    }

    private boolean outboundDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        var topic = record.headers().lastHeader(DeadLetters.TOPIC_HEADER);
        return topic != null
                && new String(topic.value(), StandardCharsets.UTF_8)
                        .equals(fixture.topics.outboundMessages().name());
    }

    /** The offset the next record of the account's partition of wa.outbound-messages gets. */
    private long nextOffset(String account) {
        return fixture.endOffset(fixture.topics.outboundMessages().name(), account);
    }

    private HttpResponse<String> postMessage(
            ConfigurableApplicationContext router, String account, String messageId, String recipient, String text) {
        return fixture.call(
                router,
                "POST",
                "/api/v1/accounts/" + account + "/messages",
                json(Map.of("messageId", messageId, "recipient", recipient, "text", text)));
    }

    private void postExpiring(ConfigurableApplicationContext router, String account, String messageId, Duration ttl) {
        HttpResponse<String> posted = fixture.call(
                router,
                "POST",
                "/api/v1/accounts/" + account + "/messages",
                json(Map.of(
                        "messageId",
                        messageId,
                        "recipient",
                        RECIPIENT,
                        "text",
                        "soon or never",
                        "expiresAt",
                        Instant.now().plus(ttl).toString())));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    }

    private static String json(Map<String, String> body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ConfigurableApplicationContext ready(ConfigurableApplicationContext router) {
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        return router;
    }

    /** Connects msg-<server> on the server, scans its QR, waits for CONNECTED. */
    private String connected(SimulatedServer server) {
        String account = connectOnly(server);
        assertThat(server.scan(account))
                .as("scan %s: %s", account, server.accounts())
                .isTrue();
        await().atMost(WAIT).until(() -> fixture.states(account).contains(CONNECTED));
        return account;
    }

    private String connectOnly(SimulatedServer server) {
        String account = "msg-" + server.id();
        fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(server.id())
                .build());
        await().atMost(WAIT)
                .alias(String.format("%s: %s", account, fixture.eventsOf(account)))
                .until(() -> fixture.states(account).contains(QR_REQUIRED));
        return account;
    }
}
