package io.wafleet.sink;

import static io.wafleet.sink.AuditSinkIntegrationTest.count;
import static io.wafleet.sink.AuditSinkIntegrationTest.record;
import static io.wafleet.sink.AuditSinkIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.platform.faults.BlackHoleProxy;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.platform.registry.EmbeddedSchemaRegistry;
import io.wafleet.platform.registry.RegistryRecords;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.SchemaHistory;
import io.wafleet.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sink in registry mode against a real registry (Apicurio Registry 2.6): a record naming a writer id the
 * registry does not know is a dead letter with that reason and the stream goes on; while the registry is away, a
 * record in a writer schema new to the sink holds its partition (no dead letter, nothing skipped) and is written
 * once the registry answers again.
 */
@WafleetIntegrationTest
class RegistryModeSinkTest {

    @Test
    void anUnknownWriterIdIsADeadLetterAndARegistryOutageHoldsTheStreamUntilTheRegistryAnswers(
            KafkaCluster kafka, PostgresDatabase server, @TempDir Path folder) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_registry");
        DataSource rows = database.dataSource();
        String run = UUID.randomUUID().toString();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(folder.resolve("registry.log"));
                BlackHoleProxy path = new BlackHoleProxy(registry.port());
                ConfigurableApplicationContext sink = SinkInstance.start(
                        kafka,
                        database,
                        "sink-registry-" + run,
                        "schema.registry.url=" + registry.urlThrough(path.port()))) {
            Topics topics = sink.getBean(Topics.class);
            String checks = topics.healthChecks().name();

            // The sink's own producer-side serde writes the Confluent format; the sink reads it back.
            String current = "srv-current-" + run;
            ProducerRecord<byte[], byte[]> written =
                    record(topics.healthChecks(), current, Records.healthCheck(current, 1));
            assertThat(written.value()[0]).isZero();
            // An id no schema has, then a readable record behind it on the same partition.
            String unknown = "srv-unknown-" + run;
            byte[] unknownId = record(topics.healthChecks(), unknown, Records.healthCheck(unknown, 1))
                    .value();
            ByteBuffer.wrap(unknownId, 1, 4).putInt(999_999);
            send(
                    kafka,
                    List.of(
                            written,
                            new ProducerRecord<>(checks, bytes(unknown), unknownId),
                            record(topics.healthChecks(), unknown, Records.healthCheck(unknown, 2))));

            await().atMost(Duration.ofSeconds(60)).until(() -> count(rows, "health_checks", current) == 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(rows, "health_checks", unknown) == 1);
            ConsumerRecord<byte[], byte[]> letter = deadLetters(kafka, topics).stream()
                    .filter(r -> unknown.equals(new String(r.key(), StandardCharsets.UTF_8)))
                    .findFirst()
                    .orElseThrow();
            assertThat(new String(
                            letter.headers()
                                    .lastHeader(DeadLetters.ERROR_HEADER)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .contains("writer schema id 999999 is unknown to the schema registry");

            // Another producer still writes the first published HealthCheck: an id the sink has not met yet.
            Schema first = SchemaHistory.versions("HealthCheck").get(0);
            int firstId = RegistryRecords.register(registry.url(), checks + "-value", first);
            String old = "srv-old-" + run;
            path.swallow();
            send(
                    kafka,
                    List.of(
                            new ProducerRecord<>(
                                    checks,
                                    bytes(old),
                                    RegistryRecords.confluent(firstId, RegistryRecords.healthCheck(first, old))),
                            record(topics.healthChecks(), old, Records.healthCheck(old, 3))));
            // Held, not skipped: neither the old record nor the one behind it is written while the registry is away.
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> count(rows, "health_checks", old) == 0);

            path.heal();
            await().atMost(Duration.ofSeconds(90)).until(() -> count(rows, "health_checks", old) == 2);
            assertThat(deadLetters(kafka, topics))
                    .noneMatch(r -> old.equals(new String(r.key(), StandardCharsets.UTF_8)));
        }
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Every dead letter so far (read to the end offsets of now). */
    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(KafkaCluster kafka, Topics topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer
                    .partitionsFor(topics.deadLetters().name())
                    .stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
            return letters;
        }
    }
}
