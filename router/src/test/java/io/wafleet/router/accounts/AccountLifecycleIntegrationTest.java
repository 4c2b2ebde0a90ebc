package io.wafleet.router.accounts;

import static io.wafleet.avro.AccountState.CONNECTED;
import static io.wafleet.avro.AccountState.DISCONNECTED;
import static io.wafleet.avro.AccountState.FAILED;
import static io.wafleet.avro.AccountState.PENDING;
import static io.wafleet.avro.AccountState.QR_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthCheck;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Accounts carried through their lifecycle by a real router, over the embedded broker, against simulated servers. */
@WafleetIntegrationTest
class AccountLifecycleIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaCluster kafka;
    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final String env;

    AccountLifecycleIntegrationTest(KafkaCluster kafka) {
        this.kafka = kafka;
        fixture = new RouterFixture(kafka);
        env = fixture.prefix;
        fleet = SimulatedFleet.start(List.of(
                ServerSpec.builder(env + "-seed", Dialect.SEED)
                        .apiKey("seed-secret")
                        .build(),
                ServerSpec.builder(env + "-waha", Dialect.WAHA)
                        .apiKey("waha-secret")
                        .build(),
                ServerSpec.builder(env + "-evolution", Dialect.EVOLUTION)
                        .apiKey("evolution-secret")
                        .build()));
    }

    @AfterEach
    void stop() {
        fixture.close();
        fleet.close();
    }

    private ConfigurableApplicationContext routerWithServers(SimulatedServer... servers) {
        for (SimulatedServer server : servers) {
            fixture.addServer(server, env, 1);
        }
        ConfigurableApplicationContext router = fixture.startRouter();
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        return router;
    }

    @Test
    void anAccountGoesThroughQrConnectRefreshAndDisconnectInEveryDialect() {
        ConfigurableApplicationContext router =
                routerWithServers(fleet.servers().toArray(SimulatedServer[]::new));
        for (SimulatedServer server : fleet.servers()) {
            String account = server.dialect().name().toLowerCase() + "-" + env;
            fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                    .setAccountName("Account " + account)
                    .setServerId(server.id())
                    .build());
            await().atMost(WAIT).until(() -> fixture.states(account).contains(QR_REQUIRED));
            ConnectionEvent qr = fixture.last(account);
            assertThat(qr.getServerId()).isEqualTo(server.id());
            assertThat(qr.getQrCode())
                    .as("the image stays off the events topic")
                    .isNull();
            assertThat(qr.getQrId()).startsWith("qr-");
            assertThat(fixture.call(router, "GET", "/api/v1/accounts/" + account + "/qr", null)
                            .body())
                    .as("the image from the account's state")
                    .contains("\"qrCode\":\"data:image/png;base64,");

            String refresh = fixture.post(RouterFixture.request(account, ConnectionAction.REFRESH_QR)
                            .build())
                    .getRequestId();
            await().atMost(WAIT)
                    .until(() -> fixture.eventsOf(account).stream()
                            .anyMatch(e -> refresh.equals(e.getRequestId())
                                    && e.getState() == QR_REQUIRED
                                    && e.getQrId() != null
                                    && e.getQrCode() == null));

            assertThat(server.scan(account)).isTrue();
            await().atMost(WAIT).until(() -> fixture.states(account).contains(CONNECTED));
            assertThat(fixture.call(router, "GET", "/api/v1/accounts/" + account, null)
                            .body())
                    .contains("\"state\":\"CONNECTED\"")
                    .contains("\"serverId\":\"" + server.id() + "\"");

            fixture.post(
                    RouterFixture.request(account, ConnectionAction.DISCONNECT).build());
            await().atMost(WAIT).until(() -> fixture.last(account).getState() == DISCONNECTED);
            // WAHA passes through STARTING (CONNECTING) before it shows the QR.
            assertThat(fixture.states(account))
                    .startsWith(PENDING)
                    .containsSubsequence(QR_REQUIRED, QR_REQUIRED, CONNECTED)
                    .endsWith(CONNECTED, DISCONNECTED)
                    .doesNotContain(FAILED);
            assertThat(server.accounts().getOrDefault(account, "STOPPED")).isEqualTo("STOPPED");
        }
        // Server keys went to the servers (they answer 401 without), never to a topic.
        assertThat(fixture.events)
                .noneSatisfy(e -> assertThat(e.event().toString()).contains("secret"));
    }

    @Test
    void aServerThatRefusesConnectionsIsReportedAndTheNextOneTakesTheAccount() {
        SimulatedServer first = fleet.server(env + "-seed");
        SimulatedServer second = fleet.server(env + "-waha");
        fixture.addServer(first, env, 1);
        fixture.addServer(second, env, 2);
        ConfigurableApplicationContext router = fixture.startRouter();
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        first.fault(Fault.of(Fault.Mode.DOWN));

        HttpResponse<String> reply = fixture.call(
                router, "POST", "/api/v1/accounts/failover-" + env + "/connect", "{\"environment\":\"" + env + "\"}");

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body())
                .contains("\"status\":\"qr_required\"")
                .contains("\"serverId\":\"" + second.id() + "\"")
                .contains("\"qrCode\":\"data:image/png;base64,");
        await().atMost(WAIT).until(() -> fixture.states("failover-" + env).contains(QR_REQUIRED));
        List<ConnectionEvent> events = fixture.eventsOf("failover-" + env);
        assertThat(events)
                .extracting(ConnectionEvent::getState)
                .startsWith(PENDING, PENDING)
                .endsWith(QR_REQUIRED)
                .doesNotContain(FAILED);
        assertThat(events.get(0).getServerId()).isEqualTo(first.id());
        assertThat(events.get(1).getServerId()).isEqualTo(second.id());
        assertThat(events.get(1).getAttempt()).isEqualTo(2);
        assertThat(events.get(1).getReason()).contains(first.id()).contains("CONNECT_REFUSED");
        await().atMost(WAIT).until(() -> !fixture.checks.isEmpty());
        HealthCheck passive = fixture.checks.peek();
        assertThat(passive.getServerId()).isEqualTo(first.id());
        assertThat(passive.getSource()).isEqualTo(CheckSource.PASSIVE);
        assertThat(passive.getSuccess()).isFalse();
        assertThat(passive.getErrorKind()).isEqualTo(ErrorKind.CONNECT_REFUSED);
    }

    @Test
    void whenEveryServerFailsTheAccountFailsWithEachAttemptInTheReason() {
        SimulatedServer only = fleet.server(env + "-seed");
        ConfigurableApplicationContext router = routerWithServers(only);
        only.fault(Fault.error(500));

        HttpResponse<String> reply = fixture.call(
                router, "POST", "/api/v1/accounts/doomed-" + env + "/connect", "{\"environment\":\"" + env + "\"}");

        assertThat(reply.statusCode()).isEqualTo(503);
        assertThat(reply.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(reply.body()).contains("\"state\":\"FAILED\"").contains("HTTP_STATUS 500");
        await().atMost(WAIT).until(() -> fixture.states("doomed-" + env).contains(FAILED));
        assertThat(fixture.states("doomed-" + env)).containsExactly(PENDING, FAILED);
    }

    @Test
    void aRepeatedRequestIsAnsweredOnce() {
        SimulatedServer server = fleet.server(env + "-seed");
        routerWithServers(server);
        String account = "twice-" + env;
        var request = RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(env)
                .build();

        fixture.post(request);
        fixture.post(request);
        await().atMost(WAIT).until(() -> fixture.states(account).contains(QR_REQUIRED));
        // A later request shows the repeat was passed over, not merely slow.
        fixture.post(RouterFixture.request(account, ConnectionAction.DISCONNECT).build());
        await().atMost(WAIT).until(() -> fixture.states(account).contains(DISCONNECTED));
        fixture.post(request);
        fixture.post(RouterFixture.request(account, ConnectionAction.REFRESH_QR).build());
        await().atMost(WAIT).until(() -> fixture.states(account).size() == 4);

        assertThat(fixture.states(account)).containsExactly(PENDING, QR_REQUIRED, DISCONNECTED, DISCONNECTED);
        assertThat(fixture.eventsOf(account).stream()
                        .filter(e -> e.getRequestId().equals(request.getRequestId()))
                        .count())
                .isEqualTo(2);
    }

    @Test
    void jsonFromAPlainProducerIsHandledAndBadRecordsGoToDeadLettersWithTheirReason() {
        SimulatedServer server = fleet.server(env + "-evolution");
        routerWithServers(server);

        fixture.postRaw("json-" + env, """
                {"requestId": "r-1", "accountId": "json-%s", "action": "CONNECT", "environment": "%s",
                 "tags": [], "metadata": {"source": "a shell script"}}
                """.formatted(env, env).getBytes(StandardCharsets.UTF_8));
        fixture.postRaw("odd-" + env, """
                {"requestId": "r-2", "accountId": "odd-%s", "action": "TELEPORT"}
                """.formatted(env).getBytes(StandardCharsets.UTF_8));
        fixture.postRaw("anon-" + env, """
                {"requestId": "r-3", "accountId": "", "action": "CONNECT"}
                """.getBytes(StandardCharsets.UTF_8));
        fixture.postRaw("junk-" + env, new byte[] {0x00, 0x13, 0x37, 0x7f, 0x01});
        fixture.postRaw("someone-else", """
                {"requestId": "r-4", "accountId": "keyed-wrong-%s", "action": "CONNECT"}
                """.formatted(env).getBytes(StandardCharsets.UTF_8));
        // Valid JSON whose accountName holds a NUL: it once stopped the whole audit (PostgreSQL refuses it).
        fixture.postRaw("nul-" + env, """
                {"requestId": "r-5", "accountId": "nul-%s", "action": "CONNECT", "accountName": "a\\u0000b"}
                """.formatted(env).getBytes(StandardCharsets.UTF_8));
        // An accountName of 900 KB: the REST API refuses over 1,024 characters, so must the topic.
        fixture.postRaw(
                "long-" + env, """
                {"requestId": "r-6", "accountId": "long-%s", "action": "CONNECT", "accountName": "%s"}
                """.formatted(env, "n".repeat(900 * 1024)).getBytes(StandardCharsets.UTF_8));

        await().atMost(WAIT).until(() -> fixture.states("json-" + env).contains(QR_REQUIRED));
        await().atMost(WAIT).until(() -> fixture.deadLetters.size() == 6);
        String reasons = fixture.deadLetters.stream()
                .map(record -> new String(
                        record.headers().lastHeader(DeadLetters.ERROR_HEADER).value(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("\n"));
        assertThat(reasons)
                .contains("TELEPORT")
                .contains("accountId is missing")
                .contains("unreadable ConnectionRequest")
                .contains("the record key must be the accountId")
                .contains("accountName holds a control character (U+0000)")
                .contains("accountName must be at most 1024 characters, was 921600");
        assertThat(fixture.eventsOf("nul-" + env))
                .as("no event of a refused request")
                .isEmpty();
        assertThat(fixture.eventsOf("long-" + env)).isEmpty();
        assertThat(fixture.deadLetters)
                .allSatisfy(record -> assertThat(record.value()).isNotEmpty());
        assertThat(fixture.eventsOf("json-" + env).get(0).getRequestId()).isEqualTo("r-1");
    }

    @Test
    void theRestApiAnswersWithTheQrListsAccountsAndRefusesBadInput() {
        SimulatedServer server = fleet.server(env + "-waha");
        ConfigurableApplicationContext router = routerWithServers(server);

        HttpResponse<String> connect = fixture.call(
                router,
                "POST",
                "/api/v1/accounts/rest-" + env + "/connect",
                "{\"name\": \"Business Account 01\", \"environment\": \"" + env + "\"}");
        HttpResponse<String> qr = fixture.call(router, "GET", "/api/v1/accounts/rest-" + env + "/qr", null);
        HttpResponse<String> waiting =
                fixture.call(router, "GET", "/api/v1/accounts?server=" + server.id() + "&state=qr_required", null);
        HttpResponse<String> unknown = fixture.call(router, "GET", "/api/v1/accounts/nobody-" + env, null);
        List<HttpResponse<String>> bad = List.of(
                fixture.call(router, "POST", "/api/v1/accounts/bad%20id/connect", null),
                fixture.call(router, "POST", "/api/v1/accounts/x/connect", "{\"tags\": \"vip\"}"),
                fixture.call(router, "POST", "/api/v1/accounts/x/connect", "{\"serverId\": \"nowhere\"}"),
                fixture.call(router, "POST", "/api/v1/accounts/x/connect", "{\"algorithm\": \"dice\"}"),
                fixture.call(router, "POST", "/api/v1/accounts/x/connect?timeoutMs=forever", null),
                fixture.call(router, "POST", "/api/v1/accounts/x/connect", "[1, 2"),
                fixture.call(router, "GET", "/api/v1/accounts?state=sleepy", null));

        assertThat(connect.statusCode()).isEqualTo(200);
        assertThat(connect.body())
                .contains("\"success\":true")
                .contains("\"status\":\"qr_required\"")
                .contains("\"accountName\":\"Business Account 01\"")
                .contains("\"qrCode\":\"data:image/png;base64,");
        assertThat(qr.body()).contains("\"qrCode\":\"data:image/png;base64,");
        assertThat(waiting.body()).contains("\"total\":1").contains("rest-" + env);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(bad).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        });
        assertThat(bad.stream().map(HttpResponse::body).toList())
                .satisfiesExactly(
                        body -> assertThat(body).contains("\"field\":\"id\""),
                        body -> assertThat(body).contains("\"field\":\"tags\""),
                        body -> assertThat(body).contains("\"field\":\"serverId\""),
                        body -> assertThat(body).contains("\"field\":\"algorithm\""),
                        body -> assertThat(body).contains("\"field\":\"timeoutMs\""),
                        body -> assertThat(body).contains("\"field\":\"body\""),
                        body -> assertThat(body).contains("\"field\":\"state\""));
        // The selection endpoint now knows where the account is.
        assertThat(fixture.call(router, "GET", "/api/v1/servers/select?accountId=rest-" + env, null)
                        .body())
                .contains("\"sticky\":true")
                .contains(server.id());
    }

    @Test
    void aRestartedRouterKnowsAnAccountFromItsStateAfterItsEventsAreGone() throws Exception {
        SimulatedServer server = fleet.server(env + "-seed");
        ConfigurableApplicationContext first = routerWithServers(server);
        String account = "remembered-" + env;
        fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(env)
                .build());
        await().atMost(WAIT).until(() -> fixture.states(account).contains(QR_REQUIRED));
        first.close();
        // As if the events had outlived the topic's retention: every one of them deleted.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            String events = fixture.topics.connectionEvents().name();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < fixture.config.connectionEvents().partitions(); p++) {
                latest.put(new TopicPartition(events, p), OffsetSpec.latest());
            }
            Map<TopicPartition, RecordsToDelete> all = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((partition, end) -> all.put(partition, RecordsToDelete.beforeOffset(end.offset())));
            admin.deleteRecords(all).all().get();
        }

        ConfigurableApplicationContext second = fixture.startRouter();
        await().atMost(WAIT)
                .until(() -> fixture.call(second, "GET", "/readyz", null).statusCode() == 200);

        assertThat(fixture.call(second, "GET", "/api/v1/accounts/" + account, null)
                        .body())
                .contains("\"status\":\"qr_required\"")
                .contains(server.id());
        assertThat(fixture.call(second, "GET", "/api/v1/servers/select?accountId=" + account, null)
                        .body())
                .as("sticky from the state alone")
                .contains("\"sticky\":true")
                .contains(server.id());
    }

    @Test
    void accountCallsWaitingForTheirAnswersHoldNoServletThread() {
        SimulatedServer server = fleet.server(env + "-seed");
        fixture.addServer(server, env, 1);
        // One request thread: a call that held it while waiting would keep every other call out.
        ConfigurableApplicationContext router = fixture.startRouter("server.tomcat.threads.max=1");
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        server.fault(Fault.of(Fault.Mode.HANG));
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + router.getEnvironment().getProperty("local.server.port");
        List<String> accounts = List.of("held-1-" + env, "held-2-" + env, "held-3-" + env, "held-4-" + env);

        List<CompletableFuture<HttpResponse<String>>> calls = accounts.stream()
                .map(account -> http.sendAsync(
                        HttpRequest.newBuilder(
                                        URI.create(base + "/api/v1/accounts/" + account + "/connect?timeoutMs=8000"))
                                .header("Authorization", "Bearer " + RouterFixture.ADMIN_TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"environment\": \"" + env + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();

        // Every call got in and posted its request while the others wait for their answers.
        await().atMost(Duration.ofSeconds(6))
                .until(() -> accounts.stream()
                        .allMatch(account -> fixture.states(account).contains(PENDING)));
        assertThat(fixture.call(router, "GET", "/api/v1/ping", null).statusCode())
                .isEqualTo(200);
        assertThat(calls).as("still waiting").noneMatch(CompletableFuture::isDone);
        assertThat(calls)
                .allSatisfy(call -> assertThat(call.join().statusCode()).isIn(202, 503));
    }

    @Test
    void anUnscannedQrTimesOutTheSessionIsRemovedAndTheAccountFails() {
        SimulatedServer server = fleet.server(env + "-seed");
        fixture.addServer(server, env, 1);
        ConfigurableApplicationContext router = fixture.startRouter("wafleet.router.accounts.qr-timeout=1s");
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        String account = "slowpoke-" + env;

        fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(env)
                .build());

        await().atMost(WAIT).until(() -> fixture.states(account).contains(FAILED));
        assertThat(fixture.states(account)).containsExactly(PENDING, QR_REQUIRED, FAILED);
        assertThat(fixture.last(account).getReason()).contains("not scanned within 1 s");
        assertThat(server.accounts()).doesNotContainKey(account);
    }

    static boolean is(ConnectionEvent event, AccountState state) {
        return event.getState() == state;
    }
}
