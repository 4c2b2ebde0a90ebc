package io.wafleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.ApiKeyCipher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The admin API over real HTTP into a real PostgreSQL: auth, validation, encryption of API keys, the seed's import. */
@WafleetIntegrationTest
class AdminApiIntegrationTest {

    private static final String TOKEN = "admin-secret-token";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final HttpClient http = HttpClient.newHttpClient();
    private PostgresDatabase database;
    private ConfigurableApplicationContext router;

    @BeforeEach
    void start(KafkaCluster kafka, PostgresDatabase shared) {
        database = shared.createFreshDatabase("router");
        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--wafleet.router.admin-token=" + TOKEN,
                "--wafleet.router.api-key-encryption-key=" + KEY));
        database.springProperties().forEach(property -> args.add("--" + property));
        router = new SpringApplicationBuilder(RouterApplication.class).run(args.toArray(String[]::new));
    }

    @AfterEach
    void stop() {
        router.close();
    }

    @Test
    void theSeedsServerConfigurationImportsAndTheApiKeyIsStoredEncryptedOnly() throws Exception {
        String seedJson = Files.readString(Path.of("src/test/resources/seed-servers.json"));

        HttpResponse<String> imported = send("POST", "/api/v1/servers/import", seedJson, TOKEN);
        HttpResponse<String> again = send("POST", "/api/v1/servers/import", seedJson, TOKEN);

        assertThat(imported.statusCode()).isEqualTo(200);
        assertThat(imported.body()).contains("\"imported\":2").contains("\"loadBalancing\":\"weighted_round_robin\"");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(query("SELECT count(*) FROM server_configs")).isEqualTo("2");
        assertThat(query("SELECT version FROM server_configs WHERE name = 'WA-Primary'"))
                .isEqualTo("2");
        assertThat(query("SELECT algorithm FROM server_lb_rules WHERE environment IS NULL AND location IS NULL"))
                .isEqualTo("weighted_round_robin");
        assertThat(
                        query(
                                "SELECT weight || ':' || max_instances || ':' || location FROM server_configs WHERE name = 'WA-Secondary'"))
                .isEqualTo("8:15:US-West");

        HttpResponse<String> created = send(
                "POST",
                "/api/v1/servers",
                "{\"name\":\"WA-Keyed\",\"hostname\":\"keyed.example.net\",\"port\":3001,\"environment\":\"production\","
                        + "\"apiKey\":\"plain-secret-key\",\"tags\":[\"primary\"]}",
                TOKEN);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"hasApiKey\":true").doesNotContain("plain-secret-key");
        String stored = query("SELECT api_key_ciphertext FROM server_configs WHERE name = 'WA-Keyed'");
        assertThat(stored).startsWith("v2:").doesNotContain("plain-secret-key");
        String id = query("SELECT id FROM server_configs WHERE name = 'WA-Keyed'");
        assertThat(ApiKeyCipher.fromBase64Key(KEY)
                        .decrypt(stored, ApiKeyCipher.Binding.of(id, "https", "keyed.example.net", 3001)))
                .isEqualTo("plain-secret-key");
    }

    @Test
    void aKeyIsBoundToItsServersOriginAndGoesOverHttpOnlyToATrustedNetwork() throws Exception {
        String keyed = "{\"name\":\"K\",\"hostname\":\"k.example.net\",\"port\":3001,\"environment\":\"e\","
                + "\"apiKey\":\"first-key\"";
        String id = send("POST", "/api/v1/servers", keyed + "}", TOKEN)
                .headers()
                .firstValue("location")
                .orElseThrow()
                .replace("/api/v1/servers/", "");
        String moved = "{\"name\":\"K\",\"hostname\":\"k.example.net\",\"port\":3002,\"environment\":\"e\"";

        HttpResponse<String> sameOrigin = send(
                "PUT",
                "/api/v1/servers/" + id,
                keyed.replace(",\"apiKey\":\"first-key\"", "") + ",\"weight\":3}",
                TOKEN);
        HttpResponse<String> movedKeepingKey = send("PUT", "/api/v1/servers/" + id, moved + "}", TOKEN);
        String before = query("SELECT api_key_ciphertext FROM server_configs WHERE id = '" + id + "'");
        HttpResponse<String> movedWithNewKey =
                send("PUT", "/api/v1/servers/" + id, moved + ",\"apiKey\":\"second-key\"}", TOKEN);
        String after = query("SELECT api_key_ciphertext FROM server_configs WHERE id = '" + id + "'");
        HttpResponse<String> cleared =
                send("PUT", "/api/v1/servers/" + id, moved.replace("3002", "3003") + ",\"apiKey\":null}", TOKEN);
        HttpResponse<String> plainHttp = send(
                "POST",
                "/api/v1/servers",
                "{\"name\":\"P\",\"hostname\":\"p.example.net\",\"port\":80,\"protocol\":\"http\","
                        + "\"environment\":\"e\",\"apiKey\":\"k\"}",
                TOKEN);
        HttpResponse<String> trusted = send(
                "POST",
                "/api/v1/servers",
                "{\"name\":\"T\",\"hostname\":\"t.example.net\",\"port\":80,\"protocol\":\"http\","
                        + "\"environment\":\"e\",\"apiKey\":\"k\",\"trustedNetwork\":true}",
                TOKEN);

        ApiKeyCipher cipher = ApiKeyCipher.fromBase64Key(KEY);
        assertThat(sameOrigin.statusCode()).as(sameOrigin.body()).isEqualTo(200);
        assertThat(sameOrigin.body()).contains("\"hasApiKey\":true");
        assertThat(movedKeepingKey.statusCode()).isEqualTo(400);
        assertThat(movedKeepingKey.body())
                .contains("\"field\":\"apiKey\"")
                .contains("protocol, hostname or port changed");
        assertThat(cipher.decrypt(before, ApiKeyCipher.Binding.of(id, "https", "k.example.net", 3001)))
                .as("the refused update changed nothing")
                .isEqualTo("first-key");
        assertThat(movedWithNewKey.statusCode()).isEqualTo(200);
        assertThat(cipher.decrypt(after, ApiKeyCipher.Binding.of(id, "https", "k.example.net", 3002)))
                .isEqualTo("second-key");
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(cleared.body()).contains("\"hasApiKey\":false");
        assertThat(plainHttp.statusCode()).isEqualTo(400);
        assertThat(plainHttp.body()).contains("\"field\":\"apiKey\"").contains("trustedNetwork");
        assertThat(trusted.statusCode()).isEqualTo(201);
        assertThat(trusted.body()).contains("\"trustedNetwork\":true").contains("\"hasApiKey\":true");
    }

    @Test
    void serversAreCreatedUpdatedAndDeleted() throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/api/v1/servers",
                "{\"name\":\"A\",\"hostname\":\"a.example.net\",\"port\":3001,\"environment\":\"staging\"}",
                TOKEN);
        String id = created.headers().firstValue("location").orElseThrow().replace("/api/v1/servers/", "");

        HttpResponse<String> updated = send(
                "PUT",
                "/api/v1/servers/" + id,
                "{\"name\":\"A\",\"hostname\":\"a2.example.net\",\"port\":3002,\"environment\":\"staging\",\"weight\":5}",
                TOKEN);
        HttpResponse<String> duplicate = send(
                "POST",
                "/api/v1/servers",
                "{\"name\":\"A\",\"hostname\":\"x.example.net\",\"port\":1,\"environment\":\"staging\"}",
                TOKEN);
        HttpResponse<String> rule = send(
                "PUT",
                "/api/v1/lb-rules",
                "{\"environment\":\"staging\",\"algorithm\":\"least_utilization\",\"panicThreshold\":0.3}",
                TOKEN);
        HttpResponse<String> deleted = send("DELETE", "/api/v1/servers/" + id, null, TOKEN);
        HttpResponse<String> deletedAgain = send("DELETE", "/api/v1/servers/" + id, null, TOKEN);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(updated.body())
                .contains("\"port\":3002")
                .contains("\"weight\":5")
                .contains("\"version\":2");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(rule.statusCode()).isEqualTo(200);
        assertThat(
                        query(
                                "SELECT algorithm || ':' || panic_threshold FROM server_lb_rules WHERE environment = 'staging'"))
                .isEqualTo("least_utilization:0.3");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deletedAgain.statusCode()).isEqualTo(404);
    }

    @Test
    void badBodiesAreA400ProblemNamingTheField() throws Exception {
        HttpResponse<String> port = send(
                "POST",
                "/api/v1/servers",
                "{\"name\":\"A\",\"hostname\":\"h\",\"port\":70000,\"environment\":\"e\"}",
                TOKEN);
        HttpResponse<String> missing = send("POST", "/api/v1/servers", "{\"hostname\":\"h\",\"port\":1}", TOKEN);
        HttpResponse<String> nested = send(
                "POST",
                "/api/v1/servers/import",
                "{\"servers\":[{\"name\":\"A\",\"hostname\":\"h\",\"port\":1,\"environment\":\"e\"},"
                        + "{\"name\":\"B\",\"hostname\":\"h\",\"port\":\"x\",\"environment\":\"e\"}]}",
                TOKEN);
        HttpResponse<String> algorithm =
                send("PUT", "/api/v1/lb-rules", "{\"environment\":\"e\",\"algorithm\":\"fastest\"}", TOKEN);
        HttpResponse<String> notJson = send("POST", "/api/v1/servers", "[1, 2", TOKEN);

        assertThat(List.of(port, missing, nested, algorithm, notJson)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        });
        assertThat(port.body()).contains("\"field\":\"port\"").contains("between 1 and 65535");
        assertThat(missing.body()).contains("\"field\":\"name\"");
        assertThat(nested.body()).contains("\"field\":\"servers[1].port\"");
        assertThat(algorithm.body()).contains("\"field\":\"algorithm\"");
        assertThat(notJson.body()).contains("\"field\":\"body\"");
        assertThat(query("SELECT count(*) FROM server_configs")).isEqualTo("0");
    }

    @Test
    void writesNeedTheAdminTokenAndOnlyThePingIsOpen() throws Exception {
        String body = "{\"name\":\"A\",\"hostname\":\"h\",\"port\":1,\"environment\":\"e\"}";

        HttpResponse<String> none = send("POST", "/api/v1/servers", body, null);
        HttpResponse<String> wrong = send("POST", "/api/v1/servers", body, "not-the-token");
        HttpResponse<String> read = send("GET", "/api/v1/ping", null, null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer");
        assertThat(none.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("not-the-token").doesNotContain(TOKEN);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(query("SELECT count(*) FROM server_configs")).isEqualTo("0");
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        String port = router.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String query(String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                ResultSet row = connection.createStatement().executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
