package io.wafleet.bench;

import io.wafleet.avro.HealthCheck;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.registry.EmbeddedSchemaRegistry;
import io.wafleet.schemas.SchemaRegistrySettings;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The two value encodings side by side in one run: Avro single-object encoding (the default) and the Confluent wire
 * format with a real schema registry (Apicurio Registry from Maven Central, as the tests use it). The same health
 * checks (with their parsed health body, as the probe writes them) are encoded and decoded in memory, produced to an
 * embedded broker and consumed back, each encoding in turn (each first in every other round) for several rounds after a
 * warm-up, so that drift of the machine falls on both; prints bytes per record, the median records/s of each, and the
 * ratios.
 */
@Command(name = "wire-format-throughput", mixinStandardHelpOptions = true)
public final class WireFormatThroughput implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "500000")
    int records;

    @Option(names = "--rounds", defaultValue = "5", description = "Measured rounds of each encoding.")
    int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1", description = "Rounds of each encoding not counted.")
    int warmupRounds;

    @Option(names = "--servers", defaultValue = "5000", description = "Distinct server ids (keys).")
    int servers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WireFormatThroughput()).execute(args));
    }

    /** One encoding's figures of one round. */
    private record Round(
            double encodePerSecond, double decodePerSecond, double producePerSecond, double consumePerSecond) {}

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wafleet-wire-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(data.resolve("registry.log"))) {
            Map<String, Topic<String, HealthCheck>> encodings = Map.of(
                    "single-object",
                    Topics.defaults().healthChecks(),
                    "confluent",
                    Topics.withRegistry(
                                    TopicsConfig.defaults(),
                                    SchemaRegistrySettings.from(Map.of(SchemaRegistrySettings.URL, registry.url())::get)
                                            .orElseThrow())
                            .healthChecks());
            List<HealthCheck> checks = new ArrayList<>(records);
            Instant now = Instant.now();
            for (int i = 0; i < records; i++) {
                String serverId = "srv-" + (i % servers);
                checks.add(SinkThroughput.check(serverId, now.plusMillis(i % 60_000), i));
            }
            readyTopics(kafka.bootstrapServers());
            Map<String, List<Round>> results =
                    Map.of("single-object", new ArrayList<>(), "confluent", new ArrayList<>());
            // The same records encode to the same sizes every round: measured once.
            Map<String, Double> bytes = new HashMap<>();
            encodings.forEach((encoding, topic) -> bytes.put(encoding, meanBytes(topic, checks)));
            for (int round = 0; round < warmupRounds + rounds; round++) {
                // Each encoding goes first in every other round: neither always follows the other's garbage.
                List<String> order =
                        round % 2 == 0 ? List.of("single-object", "confluent") : List.of("confluent", "single-object");
                for (String encoding : order) {
                    Topic<String, HealthCheck> topic = encodings.get(encoding);
                    Round measured = round(kafka.bootstrapServers(), topic, encoding + "-" + round, checks);
                    boolean counted = round >= warmupRounds;
                    if (counted) {
                        results.get(encoding).add(measured);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "round %d %s%s: %s%n",
                            round + 1,
                            encoding,
                            counted ? "" : " (warm-up)",
                            measured);
                }
            }
            System.out.println();
            System.out.println("| encoding | bytes/record | encode/s | decode/s | produce/s | consume/s |");
            System.out.println("|---|---|---|---|---|---|");
            for (String encoding : List.of("single-object", "confluent")) {
                Round best = best(results.get(encoding));
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.1f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
                        encoding,
                        bytes.get(encoding),
                        best.encodePerSecond(),
                        best.decodePerSecond(),
                        best.producePerSecond(),
                        best.consumePerSecond());
            }
            Round single = best(results.get("single-object"));
            Round confluent = best(results.get("confluent"));
            System.out.printf(
                    Locale.ROOT,
                    "| confluent / single-object | %.3f | %.2f | %.2f | %.2f | %.2f |%n",
                    bytes.get("confluent") / bytes.get("single-object"),
                    confluent.encodePerSecond() / single.encodePerSecond(),
                    confluent.decodePerSecond() / single.decodePerSecond(),
                    confluent.producePerSecond() / single.producePerSecond(),
                    confluent.consumePerSecond() / single.consumePerSecond());
        }
        return 0;
    }

    /**
     * Creates every round's topic and writes one record to each partition, retried until its leader takes it: a
     * partition written by an idempotent producer before its leader has settled fails its first batch
     * (NOT_LEADER_OR_FOLLOWER) and then every retry (OUT_OF_ORDER_SEQUENCE_NUMBER) until the delivery timeout.
     */
    private void readyTopics(String bootstrap) throws Exception {
        List<NewTopic> created = new ArrayList<>();
        for (int round = 0; round < warmupRounds + rounds; round++) {
            for (String encoding : List.of("single-object", "confluent")) {
                created.add(new NewTopic(
                        "bench-wire-" + encoding + "-" + round,
                        TopicsConfig.defaults().healthChecks().partitions(),
                        (short) 1));
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(created).all().get();
        }
        Map<String, Object> config = new HashMap<>(BulkProducer.config(bootstrap));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (NewTopic topic : created) {
                for (int partition = 0; partition < topic.numPartitions(); partition++) {
                    producer.send(new ProducerRecord<>(topic.name(), partition, null, new byte[0]))
                            .get();
                }
            }
        }
    }

    /** The median of each figure over the rounds. */
    private static Round best(List<Round> rounds) {
        return new Round(
                median(rounds.stream().mapToDouble(Round::encodePerSecond).toArray()),
                median(rounds.stream().mapToDouble(Round::decodePerSecond).toArray()),
                median(rounds.stream().mapToDouble(Round::producePerSecond).toArray()),
                median(rounds.stream().mapToDouble(Round::consumePerSecond).toArray()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double meanBytes(Topic<String, HealthCheck> topic, List<HealthCheck> checks) {
        Serializer<HealthCheck> serializer = topic.valueSerde().serializer();
        long total = 0;
        for (HealthCheck check : checks) {
            total += serializer.serialize(topic.name(), check).length;
        }
        return (double) total / checks.size();
    }

    private Round round(String bootstrap, Topic<String, HealthCheck> topic, String name, List<HealthCheck> checks)
            throws Exception {
        Serializer<HealthCheck> serializer = topic.valueSerde().serializer();
        Deserializer<HealthCheck> deserializer = topic.valueSerde().deserializer();
        // In memory: the encoding alone.
        List<byte[]> encoded = new ArrayList<>(checks.size());
        long start = System.nanoTime();
        for (HealthCheck check : checks) {
            encoded.add(serializer.serialize(topic.name(), check));
        }
        double encode = checks.size() / seconds(start);
        start = System.nanoTime();
        long sink = 0;
        for (byte[] value : encoded) {
            sink += deserializer.deserialize(topic.name(), value).getLatencyMicros();
        }
        double decode = checks.size() / seconds(start);
        if (sink == 0) {
            throw new IllegalStateException("decoded nothing");
        }
        String topicName = "bench-wire-" + name;
        try (KafkaProducer<String, HealthCheck> producer = new KafkaProducer<>(
                BulkProducer.config(bootstrap), topic.keySerde().serializer(), serializer)) {
            AtomicReference<Exception> failed = new AtomicReference<>();
            start = System.nanoTime();
            for (HealthCheck check : checks) {
                producer.send(new ProducerRecord<>(topicName, check.getServerId(), check), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("a send failed", failed.get());
            }
        }
        double produce = checks.size() / seconds(start);
        start = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            // Assigned, not subscribed: no group join in the measured time.
            List<TopicPartition> partitions = consumer.partitionsFor(topicName).stream()
                    .map(p -> new TopicPartition(topicName, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Deserializer<String> keys = topic.keySerde().deserializer();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (read < checks.size()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value().length > 0) { // not readyTopics' marker
                        keys.deserialize(topicName, record.key());
                        deserializer.deserialize(topicName, record.value());
                        read++;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read only " + read + " of " + checks.size());
                }
            }
        }
        double consume = checks.size() / seconds(start);
        return new Round(encode, decode, produce, consume);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
