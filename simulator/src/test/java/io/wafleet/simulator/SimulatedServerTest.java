package io.wafleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.Dialect;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A simulated server over real HTTP: the seed's health JSON, capacity, the automatic scan, and its control API. */
class SimulatedServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private SimulatedFleet fleet;

    @AfterEach
    void stop() {
        fleet.close();
    }

    @Test
    void theSeedHealthAnswerHasExactlyTheSeedsFields() throws Exception {
        fleet = SimulatedFleet.start(
                List.of(ServerSpec.builder("s", Dialect.SEED).version("9.9.9").build()));

        JsonNode health = get(fleet.server("s").baseUrl() + "/api/health");

        assertThat(fieldNames(health))
                .containsExactly("status", "timestamp", "uptime", "version", "accounts", "memory", "performance");
        assertThat(fieldNames(health.get("accounts"))).containsExactly("total", "connected", "connecting");
        assertThat(fieldNames(health.get("memory"))).containsExactly("heapUsed", "heapTotal", "rss");
        assertThat(fieldNames(health.get("performance")))
                .containsExactly("avgResponseTime", "p95ResponseTime", "p99ResponseTime");
        assertThat(health.get("version").asText()).isEqualTo("9.9.9");
        assertThat(health.get("status").asText()).isEqualTo("healthy");
    }

    @Test
    void aFullServerRefusesTheNextAccount() throws Exception {
        fleet = SimulatedFleet.start(
                List.of(ServerSpec.builder("s", Dialect.SEED).capacity(1, 1).build()));
        String url = fleet.server("s").baseUrl() + "/api/accounts/connect";

        assertThat(post(url, "{\"id\": \"a\"}").statusCode()).isEqualTo(200);
        assertThat(post(url, "{\"id\": \"b\"}").statusCode()).isEqualTo(429);
    }

    @Test
    void eachAnsweredCallIsToldWithItsRouteBodyAndTheTimeTheServerTook() throws Exception {
        fleet = SimulatedFleet.start(
                List.of(ServerSpec.builder("s", Dialect.SEED).build()));
        SimulatedServer server = fleet.server("s");
        List<SimulatedServer.Served> served = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.onServed(served::add);
        server.fault(Fault.slow(200));

        long before = System.nanoTime();
        assertThat(post(server.baseUrl() + "/api/accounts/connect", "{\"id\": \"a\"}")
                        .statusCode())
                .isEqualTo(200);
        long round = System.nanoTime() - before;

        await().atMost(Duration.ofSeconds(5)).until(() -> served.size() == 1);
        SimulatedServer.Served call = served.get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/api/accounts/connect");
        assertThat(new String(call.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"a\"");
        // At least the fault's 200 ms, and about the client's own round trip (the server's clock stops once it has
        // closed the exchange, a moment after the client may have its answer).
        assertThat(call.nanos())
                .isBetween(
                        Duration.ofMillis(200).toNanos(),
                        round + Duration.ofMillis(50).toNanos());
    }

    @Test
    void anAccountWaitingForItsQrIsScannedAfterTheScanDelay() throws Exception {
        fleet = SimulatedFleet.start(List.of(ServerSpec.builder("s", Dialect.SEED)
                .scanDelay(Duration.ofMillis(300))
                .build()));
        String base = fleet.server("s").baseUrl();
        post(base + "/api/accounts/connect", "{\"id\": \"a\"}");

        assertThat(get(base + "/api/accounts/a").get("status").asText()).isEqualTo("qr_required");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> get(base + "/api/accounts/a").get("status").asText(), "connected"::equals);
    }

    @Test
    void theControlApiInjectsFaultsAndRecovers() throws Exception {
        fleet = SimulatedFleet.startWithControl(List.of(ServerSpec.of("s", Dialect.WAHA)), 0);
        String control = fleet.controlUrl().orElseThrow() + "/control/servers/s";
        String ping = fleet.server("s").baseUrl() + "/ping";

        assertThat(post(control + "/fault", "{\"mode\": \"down\"}").statusCode())
                .isEqualTo(200);
        assertThat(refused(ping)).isTrue();
        post(control + "/recover", "");
        assertThat(get(ping).get("message").asText()).isEqualTo("pong");

        post(control + "/fault", "{\"mode\": \"error\", \"status\": 502}");
        assertThat(send(HttpRequest.newBuilder(URI.create(ping)).build()).statusCode())
                .isEqualTo(502);
        post(control + "/recover", "");

        HttpResponse<String> badMode = post(control + "/fault", "{\"mode\": \"explode\"}");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.body()).contains("mode must be one of");

        JsonNode stats = get(control + "/stats");
        assertThat(stats.get("requests").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(stats.get("fault").asText()).isEqualTo("none");
    }

    @Test
    void aScanThroughTheControlApiConnectsAWaitingAccount() throws Exception {
        fleet = SimulatedFleet.startWithControl(List.of(ServerSpec.of("s", Dialect.EVOLUTION)), 0);
        String base = fleet.server("s").baseUrl();
        post(base + "/instance/create", "{\"instanceName\": \"acc\", \"qrcode\": true}");

        HttpResponse<String> scanned =
                post(fleet.controlUrl().orElseThrow() + "/control/servers/s/accounts/acc/scan", "");

        assertThat(scanned.statusCode()).isEqualTo(200);
        assertThat(get(base + "/instance/connectionState/acc")
                        .at("/instance/state")
                        .asText())
                .isEqualTo("open");
        assertThat(post(fleet.controlUrl().orElseThrow() + "/control/servers/s/accounts/acc/scan", "")
                        .statusCode())
                .as("an account that is connected already")
                .isEqualTo(409);
    }

    @Test
    void serversJsonDescribesTheFleetInTheSeedsFormat() throws Exception {
        fleet = SimulatedFleet.startWithControl(
                List.of(ServerSpec.builder("a", Dialect.SEED).apiKey("k1").build(), ServerSpec.of("b", Dialect.WAHA)),
                0);

        JsonNode json = get(fleet.controlUrl().orElseThrow() + "/control/servers.json");

        assertThat(json.get("servers")).hasSize(2);
        assertThat(json.at("/servers/0/port").asInt())
                .isEqualTo(fleet.server("a").port());
        assertThat(json.at("/servers/0/dialect").asText()).isEqualTo("seed");
        assertThat(json.at("/servers/0/apiKey").asText()).isEqualTo("k1");
        assertThat(json.at("/servers/1/healthCheckEndpoint").asText()).isEqualTo("/api/server/status");
        assertThat(json.at("/loadBalancing/algorithm").asText()).isEqualTo("weighted_round_robin");
    }

    private boolean refused(String url) {
        try {
            send(HttpRequest.newBuilder(URI.create(url)).build());
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (Exception e) {
            return e.getCause() instanceof ConnectException;
        }
    }

    private JsonNode get(String url) throws Exception {
        return Json.MAPPER.readTree(
                send(HttpRequest.newBuilder(URI.create(url)).build()).body());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
