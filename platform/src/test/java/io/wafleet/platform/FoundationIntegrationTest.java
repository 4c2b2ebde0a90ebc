package io.wafleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The foundation end to end: topics from config on the real broker, a HealthCheck through Kafka and into SQL. */
@WafleetIntegrationTest
class FoundationIntegrationTest {

    private final Topics topics = Topics.defaults();

    @Test
    void everyTopicOfTheTableExistsWithItsPartitionsAndCleanupPolicy(KafkaCluster kafka) throws Exception {
        List<TopicSpec> specs = TopicsConfig.defaults().all();
        List<String> names = specs.stream().map(TopicSpec::name).toList();

        try (Admin admin = admin(kafka)) {
            Map<String, TopicDescription> described =
                    admin.describeTopics(names).allTopicNames().get();
            List<ConfigResource> resources = names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get();

            for (TopicSpec spec : specs) {
                assertThat(described.get(spec.name()).partitions()).hasSize(spec.partitions());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                        .as("cleanup.policy of %s", spec.name())
                        .isEqualTo(spec.compacted() ? "compact" : "delete");
                if (!spec.compacted()) {
                    assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value())
                            .as("retention.ms of %s", spec.name())
                            .isEqualTo(Long.toString(spec.retention().toMillis()));
                }
            }
        }
    }

    @Test
    void aHealthCheckGoesThroughKafkaAndIntoPostgres(KafkaCluster kafka, PostgresDatabase database) throws Exception {
        HealthCheck sent = healthCheck();
        Topic<String, HealthCheck> topic = topics.healthChecks();

        produce(kafka, topic, sent.getServerId(), sent);
        HealthCheck received = consumeOne(kafka, topic, sent.getEventId());
        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        insert(database, received);

        assertThat(received).isEqualTo(sent);
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT server_id, source, checked_at, latency_micros, success, http_status,"
                                + " report ->> 'version', (report -> 'accounts' ->> 'connected')::int"
                                + " FROM health_checks WHERE event_id = ?")) {
            select.setString(1, sent.getEventId());
            ResultSet row = select.executeQuery();
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("srv-proof");
            assertThat(row.getString(2)).isEqualTo("active");
            assertThat(row.getTimestamp(3).toInstant()).isEqualTo(sent.getCheckedAt());
            assertThat(row.getLong(4)).isEqualTo(8_250L);
            assertThat(row.getBoolean(5)).isTrue();
            assertThat(row.getInt(6)).isEqualTo(200);
            assertThat(row.getString(7)).isEqualTo("1.2.3");
            assertThat(row.getInt(8)).isEqualTo(4);
            assertThat(row.next()).isFalse();
        }
    }

    private static HealthCheck healthCheck() {
        return HealthCheck.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId("srv-proof")
                .setProbeId("probe-proof")
                .setSource(CheckSource.ACTIVE)
                .setCheckedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setLatencyMicros(8_250L)
                .setSuccess(true)
                .setHttpStatus(200)
                .setReport(HealthReport.newBuilder()
                        .setStatus("healthy")
                        .setUptime(86_400L)
                        .setVersion("1.2.3")
                        .setAccounts(new AccountCounts(5, 4, 1))
                        .build())
                .build();
    }

    private static <V> void produce(KafkaCluster kafka, Topic<String, V> topic, String key, V value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all");
        try (var producer = new KafkaProducer<>(
                config, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    private static HealthCheck consumeOne(KafkaCluster kafka, Topic<String, HealthCheck> topic, String eventId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        try (var consumer = new KafkaConsumer<>(
                config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<HealthCheck> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, HealthCheck> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.value());
                    if (record.value().getEventId().equals(eventId)) {
                        return record.value();
                    }
                }
            }
            throw new AssertionError("HealthCheck " + eventId + " not read back within 30 s; read " + seen);
        }
    }

    private static void insert(PostgresDatabase database, HealthCheck check) throws SQLException {
        String sql = "INSERT INTO health_checks (event_id, server_id, probe_id, source, checked_at, latency_micros,"
                + " success, http_status, error_kind, error_message, attempts, report)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING";
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, check.getEventId());
            insert.setString(2, check.getServerId());
            insert.setString(3, check.getProbeId());
            insert.setString(4, check.getSource().name().toLowerCase());
            insert.setTimestamp(5, Timestamp.from(check.getCheckedAt()));
            insert.setLong(6, check.getLatencyMicros());
            insert.setBoolean(7, check.getSuccess());
            insert.setObject(8, check.getHttpStatus());
            insert.setString(
                    9,
                    check.getErrorKind() == null
                            ? null
                            : check.getErrorKind().name().toLowerCase());
            insert.setString(10, check.getErrorMessage());
            insert.setInt(11, check.getAttempts());
            // Avro's toString of a record is JSON.
            insert.setString(
                    12, check.getReport() == null ? null : check.getReport().toString());
            insert.executeUpdate();
        }
    }

    private static Admin admin(KafkaCluster kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
