package io.wafleet.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The router over real HTTP, its health table read from the embedded broker. */
@WafleetIntegrationTest
class RouterApiIntegrationTest {

    private final Topics topics = Topics.defaults();
    private final String environment = "env-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaProducer<String, byte[]> producer;
    private static final String READ_TOKEN = "router-api-test-read-token";

    private ConfigurableApplicationContext router;

    @BeforeEach
    void start(KafkaCluster kafka) throws Exception {
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
        publish(health("a", HealthStatus.HEALTHY, "eu", 1, 100, 10));
        publish(health("b", HealthStatus.HEALTHY, "eu", 1, 100, 100));
        publish(health("c", HealthStatus.UNHEALTHY, "us", 1, 100, 0));
        publish(health("d", HealthStatus.HEALTHY, "us", 2, 100, 0));
        router = new SpringApplicationBuilder(RouterApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--wafleet.router.read-token=" + READ_TOKEN,
                        "--wafleet.bootstrap-servers=" + kafka.bootstrapServers());
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/readyz").statusCode() == 200);
    }

    @AfterEach
    void stop() {
        router.close();
        producer.close();
    }

    @Test
    void selectionAnswersTheBestServerAndA503ProblemWhenNoneQualifies() throws Exception {
        HttpResponse<String> eu = get("/api/v1/servers/select?environment=" + environment + "&location=eu");
        HttpResponse<String> us = get("/api/v1/servers/select?environment=" + environment + "&location=us");
        HttpResponse<String> full =
                get("/api/v1/servers/select?environment=" + environment + "&location=eu&minCapacity=95");

        assertThat(eu.statusCode()).isEqualTo(200);
        assertThat(eu.body()).contains("\"id\":\"" + id("a") + "\"").contains("\"freeCapacity\":90");
        // c is unhealthy; d is the failover tier.
        assertThat(us.body()).contains("\"id\":\"" + id("d") + "\"").contains("\"priority\":2");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(full.body()).contains("No server qualifies").contains("with fewer than 95 free accounts");
        assertThat(management("/actuator/prometheus").body())
                .contains("wafleet_router_selections_total{application=\"wafleet-router\",result=\"chosen\"} 2.0")
                .contains("wafleet_router_selections_total{application=\"wafleet-router\",result=\"no_server\"} 1.0");
    }

    @Test
    void badParametersAreA400ProblemNamingTheField() throws Exception {
        HttpResponse<String> capacity = get("/api/v1/servers/select?minCapacity=lots");
        HttpResponse<String> algorithm = get("/api/v1/servers/select?algorithm=fastest");
        HttpResponse<String> status = get("/api/v1/servers?status=sleepy");

        assertThat(List.of(capacity, algorithm, status)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        });
        assertThat(capacity.body()).contains("\"field\":\"minCapacity\"");
        assertThat(algorithm.body()).contains("\"field\":\"algorithm\"").contains("weighted_round_robin");
        assertThat(status.body()).contains("\"field\":\"status\"");
    }

    @Test
    void theTableFollowsTheTopicAndTheReadApiShowsIt() throws Exception {
        publish(health("a", HealthStatus.UNHEALTHY, "eu", 1, 100, 10));
        publish(health("b", HealthStatus.HEALTHY, "eu", 1, 100, 20));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(get("/api/v1/servers/select?environment=" + environment + "&location=eu")
                                        .body())
                                .contains("\"id\":\"" + id("b") + "\""));
        HttpResponse<String> list = get("/api/v1/servers?environment=" + environment + "&status=healthy");
        HttpResponse<String> one = get("/api/v1/servers/" + id("a"));
        HttpResponse<String> missing = get("/api/v1/servers/nope-" + environment);

        assertThat(list.body())
                .contains("\"count\":2")
                .contains(id("b"))
                .contains(id("d"))
                .doesNotContain(id("a"));
        assertThat(one.body()).contains("\"status\":\"UNHEALTHY\"").contains("\"metrics1m\"");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void theDashboardIsServedAndItsStreamStartsWithTheFleetTable() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> demo = get("/api/v1/demo");
        String port = router.getEnvironment().getProperty("local.server.port");
        HttpResponse<java.io.InputStream> stream = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/stream"))
                        .header("Authorization", "Bearer " + READ_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>wafleet</title>").contains("dashboard.js");
        assertThat(get("/dashboard.js").body()).contains("/api/v1/stream");
        // Without a simulator the fault buttons are off.
        assertThat(demo.body()).isEqualTo("{\"faultInjection\":false}");
        assertThat(stream.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        try (java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo("event:servers");
            assertThat(lines.readLine()).startsWith("data:").contains(id("a")).contains("\"loaded\":true");
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() throws Exception {
        HttpResponse<String> document = get("/v3/api-docs");

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body())
                .contains("\"openapi\"")
                .contains("/api/v1/servers/select")
                .contains("/api/v1/servers/import")
                .contains("/api/v1/lb-rules")
                .contains("bearer");
    }

    @Test
    void recentWindowsOfAServerComeFromTheMetricsTopic() throws Exception {
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        for (int i = 0; i < 2; i++) {
            Topic<String, io.wafleet.avro.ServerMetrics> topic = topics.serverMetrics();
            io.wafleet.avro.ServerMetrics window = io.wafleet.avro.ServerMetrics.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setKey(id("a"))
                    .setScope(io.wafleet.avro.MetricsScope.SERVER)
                    .setServerId(id("a"))
                    .setWindowSizeSeconds(60)
                    .setWindowStart(start.plusSeconds(60L * i))
                    .setWindowEnd(start.plusSeconds(60L * (i + 1)))
                    .setCount(10)
                    .setFailures(i)
                    .setErrorRate(i / 10.0)
                    .setP95Micros(20_000.0)
                    .setP99Micros(35_000.0 + i)
                    .build();
            producer.send(new ProducerRecord<>(
                            topic.name(),
                            id("a"),
                            topic.valueSerde().serializer().serialize(topic.name(), window)))
                    .get();
        }

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(get("/api/v1/servers/" + id("a") + "/metrics?window=1m")
                                .body())
                        .contains("\"p99Ms\":35.001")
                        .contains("\"p99Ms\":35.0")
                        .contains("\"failures\":1"));
        assertThat(get("/api/v1/servers/" + id("a") + "/metrics?window=2m").statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/servers/" + id("a") + "/metrics?window=5m").body())
                .contains("\"windows\":[]");
    }

    private String id(String name) {
        return environment + "-" + name;
    }

    private ServerHealth health(
            String name, HealthStatus status, String location, int priority, int capacity, int connected) {
        Instant now = Instant.now();
        return ServerHealth.newBuilder()
                .setServerId(id(name))
                .setName(id(name))
                .setStatus(status)
                .setStatusSince(now)
                .setUpdatedAt(now)
                .setLastCheckAt(now)
                .setBaseUrl("http://" + name + ".example.net:3000")
                .setEnvironment(environment)
                .setLocation(location)
                .setPriority(priority)
                .setCapacity(capacity)
                .setConnectedAccounts(connected)
                .build();
    }

    private void publish(ServerHealth health) throws Exception {
        Topic<String, ServerHealth> topic = topics.serverHealth();
        producer.send(new ProducerRecord<>(
                        topic.name(),
                        health.getServerId(),
                        topic.valueSerde().serializer().serialize(topic.name(), health)))
                .get();
    }

    /** A read on the API port, with the read token. */
    private HttpResponse<String> get(String path) throws Exception {
        return send("local.server.port", path);
    }

    private HttpResponse<String> management(String path) throws Exception {
        return send("local.management.port", path);
    }

    private HttpResponse<String> send(String portProperty, String path) throws Exception {
        String port = router.getEnvironment().getProperty(portProperty);
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + READ_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
