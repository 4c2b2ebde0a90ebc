package io.wafleet.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.platform.faults.BlackHoleProxy;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.registry.EmbeddedSchemaRegistry;
import io.wafleet.platform.registry.RegistryRecords;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.SchemaHistory;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The stats-aggregator service on the embedded broker with exactly-once on: health table, events, server and pool
 * windows and dead letters, read back with read_committed consumers as the router and sink read them; and in registry
 * mode, an unknown writer id and a registry outage.
 */
@WafleetIntegrationTest
class StatsAggregatorIntegrationTest {

    private Topics topics = Topics.defaults();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String serverId = "it-" + run;
    private final String environment = "env-" + run;
    private final ConcurrentLinkedQueue<ConsumerRecord<String, byte[]>> output = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private KafkaProducer<String, byte[]> producer;
    private ConfigurableApplicationContext aggregator;
    private Thread reader;

    private KafkaCluster kafka;

    @BeforeEach
    void start(KafkaCluster kafka) {
        this.kafka = kafka;
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
        reader = new Thread(() -> read(kafka), "output-reader");
        reader.start();
    }

    /** The service under test, with {@code extra} settings. */
    private void startAggregator(String... extra) throws Exception {
        Path state = Files.createTempDirectory("aggregator-it");
        List<String> args = new java.util.ArrayList<>(List.of(
                "--server.port=0",
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--wafleet.aggregator.application-id=aggregator-it-" + run,
                "--wafleet.aggregator.state-dir=" + state));
        args.addAll(List.of(extra));
        aggregator = new SpringApplicationBuilder(StatsAggregatorApplication.class).run(args.toArray(String[]::new));
    }

    @AfterEach
    void stop() throws Exception {
        reading.set(false);
        reader.join();
        if (aggregator != null) {
            aggregator.close();
        }
        producer.close();
    }

    @Test
    void checksBecomeAHealthTableEventsAndWindowsExactlyOnce() throws Exception {
        startAggregator();
        await().atMost(Duration.ofSeconds(60)).until(() -> readiness().contains("\"RUNNING\""));
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        sendConfig(t0);
        send(topics.healthChecks(), serverId, AggregatorDriver.check(serverId, t0, true, 2_000));
        send(topics.healthChecks(), serverId, AggregatorDriver.check(serverId, t0.plusSeconds(1), true, 4_000));
        await().atMost(Duration.ofSeconds(30)).until(() -> status() == HealthStatus.HEALTHY);

        for (int i = 2; i < 5; i++) {
            send(topics.healthChecks(), serverId, AggregatorDriver.check(serverId, t0.plusSeconds(i), false, 9_000));
        }
        long sent = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> status() == HealthStatus.UNHEALTHY);
        System.out.printf(
                "status change visible %d ms after the check was sent%n", (System.nanoTime() - sent) / 1_000_000);

        // Checks past the first minute and its grace close it; past the second, they close the pool's first minute.
        send(topics.healthChecks(), serverId, AggregatorDriver.check(serverId, t0.plusSeconds(80), true, 3_000));
        send(topics.healthChecks(), serverId, AggregatorDriver.check(serverId, t0.plusSeconds(141), true, 3_000));
        producer.send(new ProducerRecord<>(
                        topics.healthChecks().name(), serverId, "garbage".getBytes(StandardCharsets.UTF_8)))
                .get();

        // Streams looks for closed windows at most once a second, when a record arrives: checks keep coming, as live.
        java.util.concurrent.atomic.AtomicInteger second = new java.util.concurrent.atomic.AtomicInteger(142);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    send(
                            topics.healthChecks(),
                            serverId,
                            AggregatorDriver.check(serverId, t0.plusSeconds(second.getAndIncrement()), true, 3_000));
                    assertThat(metrics()).anySatisfy(window -> {
                        assertThat(window.getScope()).isEqualTo(MetricsScope.SERVER);
                        assertThat(window.getWindowStart()).isEqualTo(t0);
                        assertThat(window.getCount()).isEqualTo(5);
                        assertThat(window.getFailures()).isEqualTo(3);
                        assertThat(window.getMinMicros()).isEqualTo(2_000.0);
                    });
                    assertThat(metrics()).anySatisfy(window -> {
                        assertThat(window.getScope()).isEqualTo(MetricsScope.LOCATION);
                        assertThat(window.getKey()).isEqualTo(environment + "/eu-west");
                        assertThat(window.getCount()).isEqualTo(5);
                    });
                    assertThat(deadLetters())
                            .anySatisfy(letter -> assertThat(new String(
                                            letter.headers()
                                                    .lastHeader(DeadLetters.TOPIC_HEADER)
                                                    .value(),
                                            StandardCharsets.UTF_8))
                                    .isEqualTo(topics.healthChecks().name()));
                });
        assertThat(events())
                .filteredOn(event -> event.getType().equals("STATUS_CHANGED"))
                .extracting(event -> event.getDetails().get("to"))
                // The first minute's error rate (3 of 5) was its outage: back up, it is not degraded for it.
                .containsExactly("HEALTHY", "UNHEALTHY", "HEALTHY");
        assertThat(events()).extracting(ServerEvent::getType).contains("ERROR_RATE_HIGH");
        assertThat(events())
                .extracting(event -> event.getEventId() + " " + event.getType() + " " + event.getOccurredAt() + " "
                        + event.getPoolId())
                .doesNotHaveDuplicates();
        assertThat(prometheus()).contains("kafka_stream_thread_process_total");

        send(topics.healthChecks(), "ghost-" + run, AggregatorDriver.check("ghost-" + run, t0, true, 1_000));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(prometheus().lines())
                                .filteredOn(line -> line.startsWith("wafleet_aggregator_unknown_server_checks_total"))
                                .containsExactly(
                                        "wafleet_aggregator_unknown_server_checks_total{application=\"wafleet-stats-aggregator\"} 1.0"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(events())
                        .filteredOn(event -> event.getType().equals("UNKNOWN_SERVER_CHECK"))
                        .singleElement()
                        .satisfies(event -> assertThat(event.getServerId()).isEqualTo("ghost-" + run)));
    }

    /**
     * In registry mode against a real registry (Apicurio Registry 2.6): a check naming a writer id the registry does
     * not know is a dead letter with that reason; while the registry is away, a check in a writer schema new to the
     * aggregator holds its task (not a dead letter, not skipped) and counts once the registry answers again.
     */
    @Test
    void inRegistryModeAnUnknownIdIsADeadLetterAndARegistryOutageHoldsTheChecksUntilItAnswers(@TempDir Path folder)
            throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(folder.resolve("registry.log"));
                BlackHoleProxy path =
                        new BlackHoleProxy(URI.create(registry.url()).getPort())) {
            startAggregator("--schema.registry.url=" + registry.urlThrough(path.port()));
            topics = aggregator.getBean(Topics.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness().contains("\"RUNNING\""));
            Instant t0 = Instant.now();
            sendConfig(t0);
            byte[] unknown = topics.healthChecks()
                    .valueSerde()
                    .serializer()
                    .serialize(topics.healthChecks().name(), AggregatorDriver.check(serverId, t0, true, 2_000));
            ByteBuffer.wrap(unknown, 1, 4).putInt(999_999);
            producer.send(new ProducerRecord<>(topics.healthChecks().name(), serverId, unknown))
                    .get();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(deadLetters())
                            .anySatisfy(letter -> assertThat(new String(
                                            letter.headers()
                                                    .lastHeader(DeadLetters.ERROR_HEADER)
                                                    .value(),
                                            StandardCharsets.UTF_8))
                                    .contains("writer schema id 999999 is unknown to the schema registry")));

            // Another producer still writes the first published HealthCheck: an id the aggregator has not met.
            Schema first = SchemaHistory.versions("HealthCheck").get(0);
            int firstId = RegistryRecords.register(
                    registry.url(), topics.healthChecks().name() + "-value", first);
            GenericRecord old = RegistryRecords.healthCheck(first, serverId);
            old.put("eventId", UUID.randomUUID().toString());
            old.put("checkedAt", t0.plusSeconds(1).toEpochMilli());
            path.swallow();
            producer.send(new ProducerRecord<>(
                            topics.healthChecks().name(), serverId, RegistryRecords.confluent(firstId, old)))
                    .get();
            send(topics.healthChecks(), serverId, AggregatorDriver.check(serverId, t0.plusSeconds(2), true, 2_000));
            // Two successful checks make it HEALTHY (rise 2): not while the first of them is held.
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> status() != HealthStatus.HEALTHY);

            path.heal();
            await().atMost(Duration.ofSeconds(60)).until(() -> status() == HealthStatus.HEALTHY);
            assertThat(deadLetters()).hasSize(1);
        }
    }

    /**
     * The server's config, stamped before the checks: Streams takes a task's records in timestamp order, and a config
     * the probe acted on is always older than the checks it caused.
     */
    private void sendConfig(Instant t0) throws Exception {
        producer.send(new ProducerRecord<>(
                        topics.serverConfigs().name(),
                        null,
                        t0.minusSeconds(60).toEpochMilli(),
                        serverId,
                        topics.serverConfigs().valueSerde().serializer().serialize(null, config(t0))))
                .get();
    }

    private ServerConfig config(Instant at) {
        ServerConfig config = AggregatorDriver.server(serverId, environment, "eu-west", c -> {});
        config.setCreatedAt(at);
        config.setUpdatedAt(at);
        return config;
    }

    private <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(
                        topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)))
                .get();
    }

    private HealthStatus status() {
        List<ServerHealth> health = values(topics.serverHealth());
        return health.isEmpty() ? null : health.get(health.size() - 1).getStatus();
    }

    private List<ServerMetrics> metrics() {
        return values(topics.serverMetrics());
    }

    private List<ServerEvent> events() {
        return values(topics.serverEvents());
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters() {
        return output.stream()
                .filter(record -> record.topic().equals(topics.deadLetters().name()))
                .filter(record -> serverId.equals(record.key()))
                .toList();
    }

    private <V> List<V> values(Topic<String, V> topic) {
        return output.stream()
                .filter(record -> record.topic().equals(topic.name()))
                .filter(record -> record.key() != null && record.key().contains(run))
                .map(record -> topic.valueSerde().deserializer().deserialize(topic.name(), record.value()))
                .toList();
    }

    private void read(KafkaCluster kafka) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + run,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(
                    topics.serverHealth().name(),
                    topics.serverEvents().name(),
                    topics.serverMetrics().name(),
                    topics.deadLetters().name()));
            while (reading.get()) {
                consumer.poll(Duration.ofMillis(100)).forEach(output::add);
            }
        }
    }

    private String readiness() throws Exception {
        return get("/actuator/health/readiness");
    }

    private String prometheus() throws Exception {
        return get("/actuator/prometheus");
    }

    private String get(String path) throws Exception {
        String port = aggregator.getEnvironment().getProperty("local.server.port");
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
