package io.wafleet.aggregator;

import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerStats;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The aggregator's real topology in a TopologyTestDriver, with typed input and output topics and record builders. */
final class AggregatorDriver implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final Topics topics = Topics.defaults();
    final TopologyTestDriver driver;
    /** wa.health-checks, each record stamped with its check's time, as the probe's producer stamps it. */
    final Checks checks;

    final TestInputTopic<String, ServerConfig> configs;
    final TestInputTopic<String, ServerStats> stats;
    final TestInputTopic<byte[], byte[]> rawChecks;
    final TestOutputTopic<String, ServerMetrics> metrics;
    final TestOutputTopic<String, ServerHealth> health;
    final TestOutputTopic<String, ServerEvent> events;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    final java.util.concurrent.atomic.LongAdder deadLetterCount = new java.util.concurrent.atomic.LongAdder();
    private final Map<String, ServerHealth> table = new java.util.HashMap<>();

    AggregatorDriver(AggregatorConfig config) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingDeadLetterHandler.class);
        properties.put(DeadLetterHandler.TOPIC_CONFIG, topics.deadLetters().name());
        properties.put(DeadLetterHandler.COUNTER_CONFIG, deadLetterCount);
        properties.put(
                StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                org.apache.kafka.streams.state.BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
        driver = new TopologyTestDriver(StatsTopology.build(config, topics), properties, T0);
        checks = new Checks(input(topics.healthChecks()));
        configs = input(topics.serverConfigs());
        stats = input(topics.serverStats());
        rawChecks = driver.createInputTopic(
                topics.healthChecks().name(), new ByteArraySerializer(), new ByteArraySerializer());
        metrics = output(topics.serverMetrics());
        health = output(topics.serverHealth());
        events = output(topics.serverEvents());
        deadLetters = driver.createOutputTopic(
                topics.deadLetters().name(),
                topics.deadLetters().keySerde().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    static AggregatorDriver withDefaults() {
        return new AggregatorDriver(AggregatorConfig.defaults());
    }

    /** Pipes a config, stamped with {@code at}. */
    void config(ServerConfig config, Instant at) {
        configs.pipeInput(config.getId(), config, at);
    }

    void check(String serverId, Instant at, boolean success) {
        checks.pipeInput(serverId, check(serverId, at, success, 2_000));
    }

    /** The health records published since the last read, in order (value null for a tombstone). */
    List<KeyValue<String, ServerHealth>> healthRecords() {
        List<KeyValue<String, ServerHealth>> records = health.readKeyValuesToList();
        records.forEach(record -> {
            if (record.value == null) {
                table.remove(record.key);
            } else {
                table.put(record.key, record.value);
            }
        });
        return records;
    }

    /** The latest health record of every server published so far, as the compacted topic keeps it. */
    Map<String, ServerHealth> healthTable() {
        healthRecords();
        return table;
    }

    /** The events about single servers raised since the last read (pool events are read and dropped). */
    List<ServerEvent> events() {
        return allEvents().stream().filter(event -> event.getServerId() != null).toList();
    }

    /** Every event raised since the last read. */
    List<ServerEvent> allEvents() {
        return events.readValuesToList();
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Pipes checks with the record time a producer gives them: the check's own time, or one given. */
    static final class Checks {
        private final TestInputTopic<String, HealthCheck> topic;

        Checks(TestInputTopic<String, HealthCheck> topic) {
            this.topic = topic;
        }

        void pipeInput(String serverId, HealthCheck check) {
            topic.pipeInput(serverId, check, check.getCheckedAt());
        }

        void pipeInput(String serverId, HealthCheck check, Instant recordTime) {
            topic.pipeInput(serverId, check, recordTime);
        }
    }

    @Override
    public void close() {
        driver.close();
    }

    static HealthCheck check(String serverId, Instant at, boolean success, long latencyMicros) {
        return new HealthCheck(
                UUID.randomUUID().toString(),
                serverId,
                "probe",
                CheckSource.ACTIVE,
                at,
                latencyMicros,
                success,
                success ? 200 : null,
                success ? null : ErrorKind.TIMEOUT,
                success ? null : "timed out",
                1,
                null);
    }

    /** A successful check whose health body reports {@code status} and {@code connected} accounts. */
    static HealthCheck reporting(String serverId, Instant at, String status, int connected) {
        HealthCheck check = check(serverId, at, true, 2_000);
        check.setReport(HealthReport.newBuilder()
                .setStatus(status)
                .setVersion("2.4.1")
                .setAccounts(new AccountCounts(connected, connected, 0))
                .build());
        return check;
    }

    /** A server of 100 accounts checked every 30 s, in {@code environment} / {@code location}. */
    static ServerConfig server(String id, String environment, String location, Consumer<ServerConfig> changes) {
        ServerConfig config = ServerConfig.newBuilder()
                .setId(id)
                .setName("server " + id)
                .setHostname(id + ".example.net")
                .setPort(3000)
                .setEnvironment(environment)
                .setLocation(location)
                .setHealthCheckInterval(30_000)
                .setMaxInstances(2)
                .setMaxUsersPerInstance(50)
                .setTags(List.of("primary"))
                .setCreatedAt(T0)
                .setUpdatedAt(T0)
                .build();
        changes.accept(config);
        return config;
    }

    static ServerConfig server(String id) {
        return server(id, "production", "eu-west", config -> {});
    }
}
