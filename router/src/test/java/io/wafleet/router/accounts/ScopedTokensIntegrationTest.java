package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.Dialect;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.router.auth.ApiTokens;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Named tokens of three roles from a tokens file (hashes only): each role may do what it should and no more, the
 * token's name is the actor in server_configs, connection events and operations, failures are counted and logged
 * without the token; reads need a token unless public reads are turned on; the actuator is on its own port.
 */
@WafleetIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ScopedTokensIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ALICE = "alice-admin-0123456789";
    private static final String BOB = "bob-admin-0123456789abc";
    private static final String DEPLOYER = "ci-deployer-0123456789";
    private static final String GRAFANA = "grafana-reader-0123456789";
    private static final String WRONG = "not-a-token-0123456789";

    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final SimulatedServer server;

    ScopedTokensIntegrationTest(KafkaCluster kafka) {
        fixture = new RouterFixture(kafka);
        fleet = SimulatedFleet.start(
                List.of(ServerSpec.builder(fixture.prefix + "-a", Dialect.SEED).build()));
        server = fleet.server(fixture.prefix + "-a");
        fixture.addServer(server, fixture.prefix, 1);
    }

    @AfterEach
    void stop() {
        fixture.close();
        fleet.close();
    }

    @Test
    void eachRoleDoesWhatItMayAndItsNameIsTheActor(PostgresDatabase shared, @TempDir Path dir, CapturedOutput output)
            throws Exception {
        PostgresDatabase database = shared.createFreshDatabase("tokens");
        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, """
                # name        role      hash
                ops-alice     admin     %s
                ops-bob       ADMIN     %s
                ci-deployer   operator  %s
                grafana       reader    %s
                """.formatted(
                        ApiTokens.hash(ALICE), ApiTokens.hash(BOB), ApiTokens.hash(DEPLOYER), ApiTokens.hash(GRAFANA)));
        List<String> args = new ArrayList<>(database.springProperties());
        args.add("wafleet.router.tokens-file=" + tokens);
        ConfigurableApplicationContext router = fixture.startRouter(args.toArray(String[]::new));
        await().atMost(WAIT)
                .until(() ->
                        fixture.callAs(router, null, "GET", "/readyz", null).statusCode() == 200);
        String importBody = "{\"servers\": [{\"name\": \"WA-Tokens\", \"hostname\": \"tokens.example\", \"port\": 3001,"
                + " \"environment\": \"production\"}]}";

        // Each role, one step past what it may do.
        assertThat(status(router, GRAFANA, "GET", "/api/v1/servers", null)).isEqualTo(200);
        HttpResponse<String> readerConnects =
                fixture.callAs(router, GRAFANA, "POST", "/api/v1/accounts/acct-r/connect", "{}");
        assertThat(readerConnects.statusCode()).isEqualTo(403);
        assertThat(readerConnects.body()).contains("needs the operator role").contains("'grafana' is reader");
        assertThat(status(router, DEPLOYER, "POST", "/api/v1/servers/import", importBody))
                .isEqualTo(403);
        assertThat(status(router, DEPLOYER, "PUT", "/api/v1/lb-rules", "{\"algorithm\": \"least_connections\"}"))
                .isEqualTo(403);
        assertThat(status(router, WRONG, "GET", "/api/v1/servers", null)).isEqualTo(401);
        assertThat(status(router, null, "GET", "/api/v1/accounts", null)).isEqualTo(401);

        // The admins' names in created_by / updated_by.
        assertThat(status(router, ALICE, "POST", "/api/v1/servers/import", importBody))
                .isEqualTo(200);
        String id = text(database, "SELECT id FROM server_configs WHERE name = 'WA-Tokens'");
        assertThat(status(
                        router,
                        BOB,
                        "PUT",
                        "/api/v1/servers/" + id,
                        "{\"name\": \"WA-Tokens\", \"hostname\": \"tokens.example\", \"port\": 3002,"
                                + " \"environment\": \"production\"}"))
                .isEqualTo(200);
        assertThat(text(database, "SELECT created_by || ' ' || updated_by FROM server_configs WHERE id = '" + id + "'"))
                .isEqualTo("ops-alice ops-bob");

        // The operator's name on its account's events and on its drain.
        HttpResponse<String> connect =
                fixture.callAs(router, DEPLOYER, "POST", "/api/v1/accounts/acct-op/connect", "{}");
        assertThat(connect.statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> fixture.states("acct-op").contains(AccountState.QR_REQUIRED));
        assertThat(fixture.eventsOf("acct-op"))
                .extracting(ConnectionEvent::getRequestedBy)
                .containsOnly("ci-deployer");
        insertServer(database, server);
        HttpResponse<String> drain = fixture.callAs(
                router, DEPLOYER, "POST", "/api/v1/servers/" + server.id() + "/drain?timeoutMs=30000", null);
        assertThat(drain.statusCode()).isEqualTo(200);
        assertThat(drain.body()).contains("\"requestedBy\":\"ci-deployer\"");
        assertThat(text(database, "SELECT requested_by FROM operations")).isEqualTo("ci-deployer");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(fixture.eventsOf("acct-op").stream()
                                .filter(event -> event.getOperationId() != null)
                                .map(ConnectionEvent::getRequestedBy))
                        .isNotEmpty()
                        .containsOnly("ci-deployer"));

        // Failures counted by reason and logged without the token.
        String metrics = fixture.management(router, "/actuator/prometheus").body();
        assertThat(metrics)
                .contains("wafleet_router_auth_failures_total{application=\"wafleet-router\",reason=\"forbidden\"} 3.0")
                .contains("wafleet_router_auth_failures_total{application=\"wafleet-router\",reason=\"invalid\"} 1.0")
                .contains("wafleet_router_auth_failures_total{application=\"wafleet-router\",reason=\"missing\"} 1.0");
        assertThat(output.getAll())
                .contains("authentication failed (invalid): GET /api/v1/servers from 127.0.0.1")
                .contains("authentication failed (forbidden, token ci-deployer): POST /api/v1/servers/import")
                .doesNotContain(WRONG)
                .doesNotContain(ALICE)
                .doesNotContain(DEPLOYER)
                .doesNotContain(GRAFANA);
    }

    @Test
    void readsNeedATokenUnlessMadePublicAndTheActuatorIsOnlyOnItsOwnPort() {
        ConfigurableApplicationContext closed = fixture.startRouter();
        await().atMost(WAIT)
                .until(() ->
                        fixture.callAs(closed, null, "GET", "/readyz", null).statusCode() == 200);
        for (String read : List.of(
                "/api/v1/accounts",
                "/api/v1/accounts/acct-1",
                "/api/v1/accounts/acct-1/qr",
                "/api/v1/stream",
                "/api/v1/servers",
                "/api/v1/servers/select",
                "/api/v1/servers/x/metrics",
                "/api/v1/operations/x")) {
            assertThat(status(closed, null, "GET", read, null)).as(read).isEqualTo(401);
        }
        assertThat(status(closed, null, "GET", "/api/v1/ping", null)).isEqualTo(200);
        assertThat(fixture.callAs(closed, null, "GET", "/readyz", null).body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(fixture.callAs(closed, null, "GET", "/livez", null).body()).isEqualTo("{\"status\":\"UP\"}");
        for (String actuator : List.of("/actuator/prometheus", "/actuator/health", "/actuator/metrics")) {
            assertThat(status(closed, RouterFixture.ADMIN_TOKEN, "GET", actuator, null))
                    .as(actuator)
                    .isEqualTo(404);
        }
        assertThat(fixture.management(closed, "/actuator/prometheus").statusCode())
                .isEqualTo(200);
        assertThat(fixture.management(closed, "/actuator/health").body()).contains("\"components\"");

        // Routers of one group share their settings: a listing or an account held elsewhere is asked of the others
        // with the caller's token, which a router without public reads would refuse.
        closed.close();
        ConfigurableApplicationContext open = fixture.startRouter("wafleet.router.public-reads=true");
        await().atMost(WAIT)
                .until(() -> fixture.callAs(open, null, "GET", "/readyz", null).statusCode() == 200);
        assertThat(status(open, null, "GET", "/api/v1/accounts", null)).isEqualTo(200);
        assertThat(status(open, null, "POST", "/api/v1/accounts/acct-1/connect", "{}"))
                .isEqualTo(401);
    }

    private int status(ConfigurableApplicationContext router, String token, String method, String path, String body) {
        return fixture.callAs(router, token, method, path, body).statusCode();
    }

    private static void insertServer(PostgresDatabase database, SimulatedServer server) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO server_configs (id, name, hostname, port, environment) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, server.id());
            insert.setString(2, server.id());
            insert.setString(3, "127.0.0.1");
            insert.setInt(4, server.port());
            insert.setString(5, "production");
            insert.executeUpdate();
        }
    }

    private static String text(PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            assertThat(row.next()).as(sql).isTrue();
            return row.getString(1);
        }
    }
}
