package io.wafleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.wafleet.avro.Dialect;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhooks a simulated WAHA or Evolution server sends, received over real HTTP. */
class SimulatedWebhooksTest {

    /** One delivery as received: its headers (lower case) and body. */
    record Received(Map<String, String> headers, JsonNode body) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private SimulatedFleet fleet;

    @BeforeEach
    void listen() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            received.add(new Received(
                    headers, Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes())));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        fleet.close();
        receiver.stop(0);
    }

    private String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void wahaPlusSendsEachStatusSignedWithTheSessionsHmacKey() throws Exception {
        fleet = SimulatedFleet.start(List.of(ServerSpec.builder("w", Dialect.WAHA)
                .version("2024.10.8")
                .tier("PLUS")
                .apiKey("k")
                .build()));
        SimulatedServer server = fleet.server("w");
        String create = "{\"name\":\"acc-1\",\"start\":true,\"config\":{\"metadata\":{\"wafleet.accountId\":\"acc-1\"},"
                + "\"webhooks\":[{\"url\":\"" + hook() + "\",\"events\":[\"session.status\"],"
                + "\"hmac\":{\"key\":\"s3cret\"},\"customHeaders\":[{\"name\":\"Authorization\",\"value\":\"Bearer t\"}]}]}}";
        assertThat(post(server.baseUrl() + "/api/sessions", create, "X-Api-Key", "k"))
                .isEqualTo(201);

        waitFor(server, () -> statuses().contains("SCAN_QR_CODE"));
        assertThat(server.scan("acc-1")).isTrue();
        waitFor(server, () -> statuses().contains("WORKING"));

        assertThat(statuses()).containsSubsequence("STARTING", "SCAN_QR_CODE", "WORKING");
        for (Received delivery : received) {
            byte[] body = Json.bytes(delivery.body());
            assertThat(delivery.headers().get("x-webhook-hmac")).isEqualTo(WahaWebhooks.hmacSha512("s3cret", body));
            assertThat(delivery.headers()).containsKeys("x-webhook-request-id", "x-webhook-timestamp");
            assertThat(delivery.headers().get("authorization")).isEqualTo("Bearer t");
            assertThat(delivery.body()
                            .path("metadata")
                            .path("wafleet.accountId")
                            .asText())
                    .isEqualTo("acc-1");
        }
    }

    @Test
    void wahaCoreSendsTheBodyAlone() throws Exception {
        fleet = SimulatedFleet.start(List.of(ServerSpec.builder("c", Dialect.WAHA)
                .version("2024.10.8")
                .tier("CORE")
                .build()));
        SimulatedServer server = fleet.server("c");
        String update = "{\"config\":{\"webhooks\":[{\"url\":\"" + hook()
                + "?token=abc\",\"events\":[\"*\"],\"hmac\":{\"key\":\"s3cret\"}}]}}";
        assertThat(send("PUT", server.baseUrl() + "/api/sessions/default", update))
                .isEqualTo(200);
        assertThat(post(server.baseUrl() + "/api/sessions/default/start", "", "X-Api-Key", ""))
                .isEqualTo(201);

        waitFor(server, () -> statuses().contains("SCAN_QR_CODE"));
        assertThat(received.get(0).headers()).doesNotContainKeys("x-webhook-hmac", "x-webhook-request-id");
        assertThat(received.get(0).headers().get("user-agent")).isEqualTo("WAHA/2024.10.8");
    }

    @Test
    void evolutionSendsConnectingQrAndOpenWithTheInstanceKeyInTheEnvelope() throws Exception {
        SimulatedServer server = evolution();
        String create = "{\"instanceName\":\"acc-2\",\"qrcode\":true,\"integration\":\"WHATSAPP-BAILEYS\","
                + "\"token\":\"INSTANCE-KEY\",\"webhook\":{\"enabled\":true,\"url\":\"" + hook() + "\","
                + "\"events\":[\"QRCODE_UPDATED\",\"CONNECTION_UPDATE\"],\"headers\":{\"Authorization\":\"Bearer t\"}}}";
        assertThat(post(server.baseUrl() + "/instance/create", create, "apikey", "global"))
                .isEqualTo(201);

        waitFor(server, () -> events().contains("qrcode.updated"));
        assertThat(server.scan("acc-2")).isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> received.stream()
                        .anyMatch(r ->
                                r.body().path("data").path("state").asText().equals("open")));

        Received qr = received.stream()
                .filter(r -> r.body().path("event").asText().equals("qrcode.updated"))
                .findFirst()
                .orElseThrow();
        assertThat(qr.body().path("data").path("qrcode").path("base64").asText())
                .startsWith("data:image/png;base64,");
        assertThat(qr.body().path("apikey").asText()).isEqualTo("INSTANCE-KEY");
        assertThat(qr.headers().get("authorization")).isEqualTo("Bearer t");
        assertThat(qr.body().path("date_time").asText()).endsWith("Z");
    }

    @Test
    void lostDeliveriesAreCountedAndNeverArrive() throws Exception {
        SimulatedServer server = evolution();
        server.webhookFaults(new WebhookOut.Faults(1, 0, Duration.ZERO));
        String create = "{\"instanceName\":\"acc-3\",\"qrcode\":true,\"webhook\":{\"enabled\":true,\"url\":\"" + hook()
                + "\",\"events\":[]}}";
        assertThat(post(server.baseUrl() + "/instance/create", create, "apikey", "global"))
                .isEqualTo(201);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> ((Number) server.webhookCounts().get("lost")).longValue() >= 2);
        assertThat(received).isEmpty();
    }

    /** An Evolution 2.3.6 server with the global key {@code global}, without the real one's waits. */
    private SimulatedServer evolution() {
        fleet = SimulatedFleet.start(List.of(ServerSpec.builder("e", Dialect.EVOLUTION)
                .version("2.3.6")
                .apiKey("global")
                .waitScale(0)
                .build()));
        return fleet.server("e");
    }

    /** Waits for a condition; on a timeout, says what the server sent and what arrived. */
    private void waitFor(SimulatedServer server, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(5)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("deliveries " + server.webhookCounts() + ", received " + received, e);
        }
    }

    private List<String> statuses() {
        return received.stream()
                .map(r -> r.body().path("payload").path("status").asText())
                .toList();
    }

    private List<String> events() {
        return received.stream().map(r -> r.body().path("event").asText()).toList();
    }

    private int post(String url, String body, String keyHeader, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!key.isEmpty()) {
            request.header(keyHeader, key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private int send(String method, String url, String body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
