package io.wafleet.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.HealthCheck;
import io.wafleet.platform.faults.BlackHoleProxy;
import io.wafleet.schemas.SchemaHistory;
import io.wafleet.schemas.SchemaRegistrySettings;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry mode against a real schema registry (Apicurio Registry 2.6, its Confluent API): the subjects wafleet
 * registers and their compatibility, the Confluent wire format written and read, single-object records still read,
 * a schema the registry refuses, an unknown writer id, and a registry that is away while a reader meets a new id.
 */
class SchemaRegistryModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path folder;

    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() {
        registry = EmbeddedSchemaRegistry.start(folder.resolve("registry.log"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void everyTopicsSubjectIsRegisteredFullTransitiveAndRecordsTravelInTheConfluentFormat() throws Exception {
        Topics topics = Topics.withRegistry(TopicsConfig.defaults(), settings(registry.url()));
        Topic<String, HealthCheck> checks = topics.healthChecks();

        for (String topic : TopicsConfig.defaults().all().stream()
                .map(spec -> spec.name())
                .filter(name -> !name.equals("wa.dead-letters"))
                .toList()) {
            assertThat(get("/config/" + topic + "-value")
                            .path("compatibilityLevel")
                            .asText())
                    .as(topic)
                    .isEqualTo("FULL_TRANSITIVE");
        }
        assertThat(get("/subjects/wa.health-checks-value/versions"))
                .as("every published version of HealthCheck")
                .hasSize(SchemaHistory.versions("HealthCheck").size());

        HealthCheck check = check("srv-1");
        byte[] bytes = checks.valueSerde().serializer().serialize(checks.name(), check);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(bytes[0]).as("magic byte").isZero();
        assertThat(new Schema.Parser()
                        .parse(get("/schemas/ids/" + id).path("schema").asText()))
                .isEqualTo(HealthCheck.getClassSchema());
        assertThat(checks.valueSerde().deserializer().deserialize(checks.name(), bytes))
                .isEqualTo(check);

        // A producer still on single-object encoding, during a switch-over: read as well.
        byte[] singleObject =
                Topics.defaults().healthChecks().valueSerde().serializer().serialize(checks.name(), check);
        assertThat(singleObject[0]).isEqualTo((byte) 0xC3);
        assertThat(checks.valueSerde().deserializer().deserialize(checks.name(), singleObject))
                .isEqualTo(check);

        byte[] unknown = bytes.clone();
        ByteBuffer.wrap(unknown, 1, 4).putInt(999_999);
        assertThatThrownBy(() -> checks.valueSerde().deserializer().deserialize(checks.name(), unknown))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("writer schema id 999999 is unknown to the schema registry");
    }

    @Test
    void aSchemaTheRegistryRefusesFailsStartWithTheRegistrysReason() throws Exception {
        String topic = "refused-" + System.nanoTime();
        Schema other = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"HealthCheck\",\"namespace\":\"io.wafleet.avro\","
                        + "\"fields\":[{\"name\":\"unrelated\",\"type\":\"int\"}]}");
        post(
                "/subjects/" + topic + "-value/versions",
                JSON.createObjectNode().put("schema", other.toString()).toString());
        put("/config/" + topic + "-value", "{\"compatibility\":\"FULL_TRANSITIVE\"}");
        TopicsConfig config = TopicsConfig.defaults();
        TopicsConfig refused = new TopicsConfig(
                null,
                null,
                io.wafleet.schemas.TopicSpec.deleteAfter(topic, 1, (short) 1, Duration.ofDays(1)),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        assertThat(config.healthChecks().name()).isNotEqualTo(topic);
        assertThatThrownBy(() -> Topics.withRegistry(refused, settings(registry.url())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the schemas of HealthCheck under subject " + topic + "-value")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("Incompatible");
    }

    @Test
    void aReaderMeetingANewIdWhileTheRegistryIsAwayWaitsForItAndReadsTheRecord() throws Exception {
        // The reader reaches the registry through a proxy that can stop forwarding (the registry keeps its data).
        try (BlackHoleProxy path = new BlackHoleProxy(registry.port())) {
            Topics reader = Topics.withRegistry(TopicsConfig.defaults(), settings(registry.urlThrough(path.port())));
            // A record written with the first published version of HealthCheck, by a producer that still has it:
            // registered by the reader's start too, so this returns its id.
            Schema first = SchemaHistory.versions("HealthCheck").get(0);
            int firstId = RegistryRecords.register(registry.url(), "wa.health-checks-value", first);
            byte[] old = RegistryRecords.confluent(firstId, RegistryRecords.healthCheck(first, "srv-old"));

            path.swallow();
            CompletableFuture<HealthCheck> read = CompletableFuture.supplyAsync(
                    () -> reader.healthChecks().valueSerde().deserializer().deserialize("wa.health-checks", old));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !read.isDone());

            path.heal();
            HealthCheck check = read.get(60, TimeUnit.SECONDS);
            assertThat(check.getServerId()).isEqualTo("srv-old");
            assertThat(check.getSuccess()).isTrue();
        }
    }

    private static HealthCheck check(String serverId) {
        return HealthCheck.newBuilder()
                .setEventId("e-" + serverId)
                .setServerId(serverId)
                .setProbeId("probe-1")
                .setSource(CheckSource.ACTIVE)
                .setCheckedAt(Instant.now())
                .setLatencyMicros(1000)
                .setSuccess(true)
                .build();
    }

    private static SchemaRegistrySettings settings(String url) {
        return SchemaRegistrySettings.from(Map.of(SchemaRegistrySettings.URL, url)::get)
                .orElseThrow();
    }

    private static JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).GET());
    }

    private static JsonNode post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return JSON.readTree(response.body());
    }
}
