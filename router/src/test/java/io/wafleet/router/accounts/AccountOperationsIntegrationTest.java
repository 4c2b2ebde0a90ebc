package io.wafleet.router.accounts;

import static io.wafleet.avro.AccountState.CONNECTED;
import static io.wafleet.avro.AccountState.DISCONNECTED;
import static io.wafleet.avro.AccountState.MIGRATING;
import static io.wafleet.avro.AccountState.QR_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.Dialect;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Migrations, drains, bulk operations, two routers sharing the requests, and a router restart. */
@WafleetIntegrationTest
class AccountOperationsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final String env;
    private final SimulatedServer a;
    private final SimulatedServer b;
    private final SimulatedServer c;

    AccountOperationsIntegrationTest(KafkaCluster kafka) {
        fixture = new RouterFixture(kafka);
        env = fixture.prefix;
        fleet = SimulatedFleet.start(List.of(
                // Sessions on A are scanned by themselves shortly after their QR shows.
                ServerSpec.builder(env + "-a", Dialect.SEED)
                        .scanDelay(Duration.ofMillis(100))
                        .build(),
                ServerSpec.builder(env + "-b", Dialect.WAHA).build(),
                ServerSpec.builder(env + "-c", Dialect.EVOLUTION).build()));
        a = fleet.server(env + "-a");
        b = fleet.server(env + "-b");
        c = fleet.server(env + "-c");
        for (SimulatedServer server : fleet.servers()) {
            fixture.addServer(server, env, 1);
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
        fleet.close();
    }

    private ConfigurableApplicationContext ready(ConfigurableApplicationContext router) {
        await().atMost(WAIT)
                .until(() -> fixture.call(router, "GET", "/readyz", null).statusCode() == 200);
        return router;
    }

    private void connectOn(SimulatedServer server, String account) {
        fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setServerId(server.id())
                .build());
    }

    @Test
    void aMigrationEndsTheSessionOnTheSourceAndStartsItOnTheTarget() {
        ConfigurableApplicationContext router = ready(fixture.startRouter());
        String account = "mover-" + env;
        connectOn(a, account);
        await().atMost(WAIT).until(() -> fixture.states(account).contains(CONNECTED));

        HttpResponse<String> moved = fixture.call(
                router, "POST", "/api/v1/accounts/" + account + "/migrate", "{\"serverId\": \"" + b.id() + "\"}");

        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.body()).contains("\"status\":\"qr_required\"").contains("\"serverId\":\"" + b.id() + "\"");
        await().atMost(WAIT).until(() -> fixture.last(account).getState() == QR_REQUIRED);
        List<ConnectionEvent> migration = fixture.eventsOf(account).stream()
                .dropWhile(e -> e.getState() != MIGRATING)
                .toList();
        assertThat(migration.get(0).getServerId()).isEqualTo(b.id());
        assertThat(migration.get(0).getReason()).isEqualTo("from " + a.id());
        assertThat(migration.get(0).getPreviousState()).isEqualTo(CONNECTED);
        assertThat(migration)
                .allSatisfy(e ->
                        assertThat(e.getRequestId()).isEqualTo(migration.get(0).getRequestId()));
        assertThat(migration.get(migration.size() - 1).getServerId()).isEqualTo(b.id());
        assertThat(a.accounts()).doesNotContainKey(account);
        assertThat(b.accounts()).containsEntry(account, "SCAN_QR_CODE");

        // Without a target, another server of the pool is selected: never the one it is on.
        HttpResponse<String> again = fixture.call(router, "POST", "/api/v1/accounts/" + account + "/migrate", null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).doesNotContain("\"serverId\":\"" + b.id() + "\"");
        assertThat(b.accounts()).doesNotContainKey(account);
    }

    @Test
    void drainingAServerMovesItsFiftyAccountsOffWithBoundedConcurrency(PostgresDatabase shared) throws Exception {
        PostgresDatabase database = shared.createFreshDatabase("drain");
        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO server_configs (id, name, hostname, port, environment) VALUES (?, ?, ?, ?, ?)")) {
            for (SimulatedServer server : fleet.servers()) {
                insert.setString(1, server.id());
                insert.setString(2, server.id());
                insert.setString(3, "127.0.0.1");
                insert.setInt(4, server.port());
                insert.setString(5, env);
                insert.executeUpdate();
            }
        }
        List<String> args = new ArrayList<>(database.springProperties());
        args.add("wafleet.router.accounts.migration-concurrency=4");
        ConfigurableApplicationContext router = ready(fixture.startRouter(args.toArray(String[]::new)));
        List<String> accounts =
                IntStream.range(0, 50).mapToObj(i -> "drained-" + i + "-" + env).toList();
        accounts.forEach(account -> connectOn(a, account));
        await().atMost(WAIT)
                .until(() -> accounts.stream().allMatch(x -> fixture.states(x).contains(CONNECTED)));

        HttpResponse<String> drain =
                fixture.call(router, "POST", "/api/v1/servers/" + a.id() + "/drain?timeoutMs=60000", null);

        assertThat(drain.statusCode()).isEqualTo(200);
        assertThat(drain.body())
                .contains("\"operation\":\"drain\"")
                .contains("\"status\":\"finished\"")
                .contains("\"total\":50,\"succeeded\":50,\"failed\":0,\"pending\":0")
                .contains("\"remaining\":0");
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query =
                        connection.prepareStatement("SELECT draining FROM server_configs WHERE id = ?")) {
            query.setString(1, a.id());
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getBoolean(1)).isTrue();
            }
        }
        await().atMost(WAIT)
                .until(() -> accounts.stream()
                        .allMatch(x ->
                                Set.of(b.id(), c.id()).contains(fixture.last(x).getServerId())
                                        && fixture.last(x).getState() == QR_REQUIRED));
        assertThat(a.accounts()).isEmpty();
        assertThat(b.accounts().size() + c.accounts().size()).isEqualTo(50);
        // Never more than 4 migrations under way at once.
        assertThat(mostAtOnce(accounts)).isBetween(1, 4);
        String operationId = fixture.last(accounts.get(0)).getOperationId();
        assertThat(accounts)
                .allSatisfy(x -> assertThat(fixture.last(x).getOperationId()).isEqualTo(operationId));
        assertThat(fixture.call(router, "GET", "/api/v1/operations/" + operationId, null)
                        .body())
                .contains("\"serverId\":\"" + a.id() + "\"");
        assertThat(fixture.call(router, "POST", "/api/v1/servers/nope/drain", null)
                        .statusCode())
                .isEqualTo(404);

        // Another router instance on the same database answers for the operation: what a client polling through a
        // load balancer gets. The table keeps it as a record of the drain.
        ConfigurableApplicationContext other = ready(fixture.startRouter(args.toArray(String[]::new)));
        // The running instance writes the finished view just after it answers; a poller sees it within moments.
        HttpResponse<String> elsewhere = await().atMost(WAIT)
                .until(
                        () -> fixture.call(other, "GET", "/api/v1/operations/" + operationId, null),
                        response ->
                                response.statusCode() == 200 && response.body().contains("\"status\":\"finished\""));
        assertThat(elsewhere.body())
                .contains("\"operationId\":\"" + operationId + "\"")
                .contains("\"serverId\":\"" + a.id() + "\"")
                .contains("\"status\":\"finished\"")
                .contains("\"total\":50,\"succeeded\":50,\"failed\":0,\"pending\":0");
        assertThat(fixture.call(other, "GET", "/api/v1/operations/no-such-id", null)
                        .statusCode())
                .isEqualTo(404);

        // A running operation too: started on one instance, its Location polled on the other until it ends.
        a.fault(Fault.slow(1500));
        HttpResponse<String> started =
                fixture.call(router, "POST", "/api/v1/bulk/health?timeoutMs=0", "{\"environment\": \"" + env + "\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> running = fixture.call(other, "GET", location, null);
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).contains("\"operation\":\"health\"").contains("\"status\":\"running\"");
        HttpResponse<String> ended = await().atMost(WAIT)
                .until(
                        () -> fixture.call(other, "GET", location, null),
                        response -> response.body().contains("\"status\":\"finished\""));
        assertThat(ended.body()).contains("\"total\":3,\"succeeded\":3,\"failed\":0");
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT kind, status, finished_at IS NOT NULL FROM operations WHERE operation_id = ?")) {
            query.setString(1, operationId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("drain");
                assertThat(row.getString(2)).isEqualTo("finished");
                assertThat(row.getBoolean(3)).isTrue();
            }
        }
    }

    /** The most migrations that were between their MIGRATING event and their answer at one moment. */
    private int mostAtOnce(List<String> accounts) {
        record Edge(long at, int delta) {}
        List<Edge> edges = new ArrayList<>();
        for (String account : accounts) {
            List<ConnectionEvent> events = fixture.eventsOf(account);
            ConnectionEvent start = events.stream()
                    .filter(e -> e.getState() == MIGRATING)
                    .findFirst()
                    .orElseThrow();
            ConnectionEvent end = events.get(events.size() - 1);
            edges.add(new Edge(start.getOccurredAt().toEpochMilli(), 1));
            edges.add(new Edge(end.getOccurredAt().toEpochMilli(), -1));
        }
        edges.sort(Comparator.comparingLong(Edge::at).thenComparingInt(Edge::delta));
        int now = 0;
        int most = 0;
        for (Edge edge : edges) {
            now += edge.delta();
            most = Math.max(most, now);
        }
        return most;
    }

    @Test
    void bulkOperationsReportPerServerAndInSummary() {
        ConfigurableApplicationContext router = ready(fixture.startRouter());
        List<String> accounts = List.of("bulk-1-" + env, "bulk-2-" + env, "bulk-3-" + env);
        connectOn(b, accounts.get(0));
        connectOn(b, accounts.get(1));
        connectOn(c, accounts.get(2));
        await().atMost(WAIT)
                .until(() -> accounts.stream().allMatch(x -> fixture.states(x).contains(QR_REQUIRED)));
        a.fault(Fault.of(Fault.Mode.DOWN));

        HttpResponse<String> health =
                fixture.call(router, "POST", "/api/v1/bulk/health", "{\"environment\": \"" + env + "\"}");
        HttpResponse<String> refresh =
                fixture.call(router, "POST", "/api/v1/bulk/refresh-qr", "{\"serverIds\": [\"" + b.id() + "\"]}");
        HttpResponse<String> disconnect =
                fixture.call(router, "POST", "/api/v1/bulk/disconnect", "{\"environment\": \"" + env + "\"}");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body())
                .contains("\"total\":3,\"succeeded\":2,\"failed\":1")
                .contains("\"errorKind\":\"CONNECT_REFUSED\"")
                .contains("\"" + b.id() + "\":{\"ok\":true");
        assertThat(refresh.body()).contains("\"total\":2,\"succeeded\":2,\"failed\":0");
        assertThat(disconnect.body())
                .contains("\"total\":3,\"succeeded\":3,\"failed\":0")
                .contains("\"" + b.id() + "\":{\"succeeded\":2,\"failed\":0}")
                .contains("\"" + c.id() + "\":{\"succeeded\":1,\"failed\":0}");
        await().atMost(WAIT)
                .until(() -> accounts.stream()
                        .allMatch(
                                x -> fixture.last(x) != null && fixture.last(x).getState() == DISCONNECTED));
        assertThat(b.accounts()).isEmpty();
        assertThat(fixture.call(router, "POST", "/api/v1/bulk/reboot", "{\"all\": true}")
                        .body())
                .contains("\"field\":\"operation\"");
        assertThat(fixture.call(router, "POST", "/api/v1/bulk/health", "{}").body())
                .contains("\"field\":\"serverIds\"");
        assertThat(fixture.call(router, "POST", "/api/v1/bulk/health", "{\"serverIds\": [\"ghost\"]}")
                        .body())
                .contains("\"field\":\"serverIds[0]\"");
    }

    @Test
    void twoRoutersShareTheRequestsAndNoAccountIsHandledTwice() {
        ConfigurableApplicationContext first = ready(fixture.startRouter());
        ConfigurableApplicationContext second = ready(fixture.startRouter());
        await().atMost(WAIT)
                .until(() ->
                        partitions(first) > 0 && partitions(second) > 0 && partitions(first) + partitions(second) == 6);
        List<String> accounts =
                IntStream.range(0, 60).mapToObj(i -> "shared-" + i + "-" + env).toList();

        accounts.forEach(account -> fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(env)
                .build()));

        await().atMost(WAIT)
                .until(() -> accounts.stream().allMatch(x -> fixture.states(x).contains(QR_REQUIRED)));
        Map<String, Set<String>> handlers = fixture.events.stream()
                .filter(e -> e.event().getAccountId().startsWith("shared-"))
                .collect(Collectors.groupingBy(
                        e -> e.event().getAccountId(),
                        Collectors.mapping(RouterFixture.Event::router, Collectors.toSet())));
        assertThat(handlers)
                .hasSize(60)
                .allSatisfy((account, routers) -> assertThat(routers).hasSize(1));
        assertThat(handlers.values().stream().flatMap(Set::stream).distinct()).hasSize(2);
        assertThat(accounts)
                .allSatisfy(x -> assertThat(fixture.states(x).stream()
                                .filter(state -> state == QR_REQUIRED)
                                .count())
                        .isEqualTo(1));
        // Both answer selection from the same registry: the account is sticky on either.
        String account = accounts.get(7);
        String server = fixture.last(account).getServerId();
        assertThat(fixture.call(first, "GET", "/api/v1/servers/select?accountId=" + account, null)
                        .body())
                .contains("\"id\":\"" + server + "\"");
        assertThat(fixture.call(second, "GET", "/api/v1/servers/select?accountId=" + account, null)
                        .body())
                .contains("\"id\":\"" + server + "\"");
    }

    private int partitions(ConfigurableApplicationContext router) {
        String body = fixture.management(router, "/actuator/health").body();
        return body.contains("\"requestPartitions\":[]")
                ? 0
                : body.replaceAll(".*\"requestPartitions\":\\[([^]]*)].*", "$1").split(",").length;
    }

    @Test
    void aRestartedRouterRebuildsTheRegistryAndResumesWatchingWaitingSessions() {
        ConfigurableApplicationContext before = ready(fixture.startRouter());
        String connected = "settled-" + env;
        String waiting = "waiting-" + env;
        connectOn(a, connected);
        connectOn(b, waiting);
        await().atMost(WAIT)
                .until(() -> fixture.states(connected).contains(CONNECTED)
                        && fixture.states(waiting).contains(QR_REQUIRED));
        before.close();

        ConfigurableApplicationContext after = ready(fixture.startRouter());

        assertThat(fixture.call(after, "GET", "/api/v1/accounts/" + connected, null)
                        .body())
                .contains("\"state\":\"CONNECTED\"")
                .contains("\"serverId\":\"" + a.id() + "\"");
        HttpResponse<String> reconnect =
                fixture.call(after, "POST", "/api/v1/accounts/" + connected + "/connect", null);
        assertThat(reconnect.body()).contains("\"status\":\"connected\"").contains("already connected");
        await().atMost(WAIT)
                .until(() -> fixture.management(after, "/actuator/health")
                        .body()
                        .contains("\"requestPartitions\":[0,1,2,3,4,5]"));
        assertThat(b.scan(waiting)).isTrue();
        await().atMost(WAIT).until(() -> fixture.states(waiting).contains(CONNECTED));
        assertThat(fixture.events.stream()
                        .filter(e -> e.event().getAccountId().equals(waiting)
                                && e.event().getState() == CONNECTED)
                        .map(RouterFixture.Event::router)
                        .toList())
                .hasSize(1)
                .doesNotContainNull();
    }
}
