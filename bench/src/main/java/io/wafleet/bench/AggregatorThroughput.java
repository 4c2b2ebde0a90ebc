package io.wafleet.bench;

import io.wafleet.aggregator.AggregatorStreams;
import io.wafleet.aggregator.StatsAggregatorApplication;
import io.wafleet.aggregator.StatsTopology;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.ServerConfig;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicListener;
import io.wafleet.service.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Aggregator throughput under exactly-once: fills wa.server-configs and wa.health-checks on an embedded broker
 * beforehand (every server checked once a second of event time), then starts the stats-aggregator and measures from
 * the moment it runs until every check is processed and committed, and its last output is on the topics. Then reads
 * the window stores' changelogs for the bytes a stored window takes, exact and sketched.
 */
@Command(name = "aggregator-throughput", mixinStandardHelpOptions = true)
public final class AggregatorThroughput implements Callable<Integer> {

    @Option(names = "--checks", defaultValue = "3000000")
    int checks;

    @Option(names = "--servers", defaultValue = "5000")
    int servers;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads.")
    int threads;

    @Option(names = "--failing", defaultValue = "0.02", description = "Share of servers whose checks all fail.")
    double failing;

    @Option(names = "--streams", description = "Extra Kafka Streams settings, key=value.")
    List<String> streamsSettings = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new AggregatorThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wafleet-aggregator-bench");
        Topics topics = Topics.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            long produceStart = System.nanoTime();
            produce(kafka.bootstrapServers(), topics);
            System.out.printf(
                    Locale.ROOT,
                    "produced %d configs and %d health checks in %.1f s%n",
                    servers,
                    checks,
                    (System.nanoTime() - produceStart) / 1e9);
            String applicationId =
                    "aggregator-bench-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--wafleet.aggregator.application-id=" + applicationId,
                    "--wafleet.aggregator.state-dir=" + data.resolve("state"),
                    "--wafleet.aggregator.stream-threads=" + threads,
                    // The bench's classpath holds every service's application.yaml; the sink's may win.
                    "--management.endpoint.health.group.readiness.include=readinessState,aggregator",
                    "--logging.level.root=WARN"));
            for (String setting : streamsSettings) {
                int equals = setting.indexOf('=');
                args.add("--wafleet.aggregator.streams.[" + setting.substring(0, equals) + "]="
                        + setting.substring(equals + 1));
            }
            try (ConfigurableApplicationContext aggregator =
                    new SpringApplicationBuilder(StatsAggregatorApplication.class).run(args.toArray(String[]::new))) {
                KafkaStreams streams =
                        aggregator.getBean(AggregatorStreams.class).streams();
                while (streams.state() != KafkaStreams.State.RUNNING) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
                long started = System.nanoTime();
                Map<TopicPartition, Long> ends =
                        endOffsets(admin, topics.healthChecks().name());
                while (!caughtUp(admin, applicationId, ends)) {
                    TimeUnit.MILLISECONDS.sleep(50);
                    if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(15)) {
                        throw new IllegalStateException("not caught up after 15 minutes");
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "aggregator (%s, %d stream thread(s)) processed %d checks of %d servers in %.1f s:"
                                + " %.0f checks/s%n",
                        streamsSettings.stream()
                                .filter(setting -> setting.startsWith("processing.guarantee="))
                                .map(setting -> setting.substring("processing.guarantee=".length()))
                                .reduce((first, last) -> last)
                                .orElse("exactly_once_v2"),
                        threads,
                        checks,
                        servers,
                        seconds,
                        checks / seconds);
                outputs(admin, topics);
                eventTypes(kafka.bootstrapServers(), topics);
                windowBytes(kafka.bootstrapServers(), applicationId);
            }
            sketchBytes();
        }
        return 0;
    }

    private void produce(String bootstrap, Topics topics) throws Exception {
        Map<String, Object> config = BulkProducer.config(bootstrap);
        // Event time starts now: produced beforehand, the checks must not look stale to the wall-clock punctuator.
        Instant t0 = Instant.now();
        Topic<String, ServerConfig> configs = topics.serverConfigs();
        try (KafkaProducer<String, ServerConfig> producer = new KafkaProducer<>(
                config, configs.keySerde().serializer(), configs.valueSerde().serializer())) {
            String[] environments = {"production", "staging", "development"};
            String[] locations = {"eu-west", "us-east", "ap-south"};
            for (int i = 0; i < servers; i++) {
                producer.send(new ProducerRecord<>(
                        configs.name(),
                        null,
                        t0.minusSeconds(60).toEpochMilli(),
                        serverId(i),
                        ServerConfig.newBuilder()
                                .setId(serverId(i))
                                .setName("server " + i)
                                .setHostname("10.0." + (i / 250) + "." + (i % 250))
                                .setPort(3000)
                                .setEnvironment(environments[i % 3])
                                .setLocation(locations[(i / 3) % 3])
                                .setHealthCheckInterval(30_000)
                                .setMaxUsersPerInstance(100)
                                .setCreatedAt(t0)
                                .setUpdatedAt(t0)
                                .build()));
            }
        }
        Topic<String, HealthCheck> topic = topics.healthChecks();
        Random random = new Random(7);
        int failingServers = (int) (servers * failing);
        try (KafkaProducer<String, HealthCheck> producer = new KafkaProducer<>(
                config, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < checks; i++) {
                int server = i % servers;
                // Every server once a second of event time, so windows close as the input goes by.
                Instant at = t0.plusMillis((long) (i / servers) * 1_000 + server % 1_000);
                boolean success = server >= failingServers;
                long latency = (long) Math.exp(Math.log(20_000) + 0.6 * random.nextGaussian());
                producer.send(new ProducerRecord<>(
                        topic.name(), serverId(server), check(serverId(server), at, success, latency)));
            }
            producer.flush();
        }
    }

    private static String serverId(int i) {
        return "srv-" + i;
    }

    private static HealthCheck check(String serverId, Instant at, boolean success, long latency) {
        return new HealthCheck(
                UUID.randomUUID().toString(),
                serverId,
                "probe-bench",
                CheckSource.ACTIVE,
                at,
                latency,
                success,
                success ? 200 : null,
                success ? null : ErrorKind.CONNECT_REFUSED,
                success ? null : "connection refused",
                1,
                null);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (var partition : admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()) {
            request.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end :
                admin.listOffsets(request).all().get().entrySet()) {
            ends.put(end.getKey(), end.getValue().offset());
        }
        return ends;
    }

    private static boolean caughtUp(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            // Under exactly-once the committed offset can sit one past the last record (the transaction marker).
            if (at == null || at.offset() < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void outputs(Admin admin, Topics topics) throws Exception {
        for (String topic : List.of(
                topics.serverMetrics().name(),
                topics.serverHealth().name(),
                topics.serverEvents().name())) {
            long records = endOffsets(admin, topic).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            System.out.printf(
                    Locale.ROOT, "  %s: %d records (offsets, transaction markers included)%n", topic, records);
        }
    }

    /** The encoded size of a 1 %-accuracy DDSketch (as the window stores keep it) after n log-normal latencies. */
    private static void sketchBytes() throws Exception {
        Random random = new Random(11);
        for (int n : new int[] {200, 1_000, 10_000, 100_000, 1_000_000}) {
            com.datadoghq.sketch.ddsketch.DDSketch sketch =
                    com.datadoghq.sketch.ddsketch.DDSketches.unboundedDense(0.01);
            for (int i = 0; i < n; i++) {
                sketch.accept(Math.exp(Math.log(20_000) + 0.6 * random.nextGaussian()));
            }
            var out = com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput.withDefaultInitialCapacity();
            sketch.encode(out, false);
            System.out.printf(
                    Locale.ROOT, "  DDSketch (1 %%) of %,d log-normal latencies: %d bytes%n", n, out.numWrittenBytes());
        }
    }

    /** How many events of each type the run raised. */
    private static void eventTypes(String bootstrap, Topics topics) {
        Map<String, Integer> types = new java.util.TreeMap<>();
        String topic = topics.serverEvents().name();
        readAll(
                bootstrap,
                topic,
                record -> types.merge(
                        topics.serverEvents()
                                .valueSerde()
                                .deserializer()
                                .deserialize(topic, record.value())
                                .getType(),
                        1,
                        Integer::sum));
        System.out.println("  events by type: " + types);
    }

    private static void readAll(
            String bootstrap, String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5_000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = TopicListener.partitionsOf(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** The latest stored value of every window in the window stores' changelogs: its size in bytes. */
    private static void windowBytes(String bootstrap, String applicationId) {
        for (String store :
                List.of(StatsTopology.LATENCY_STORE_PREFIX + "60s", StatsTopology.LATENCY_STORE_PREFIX + "300s")) {
            String changelog = applicationId + "-" + store + "-changelog";
            Map<String, Integer> latest = new HashMap<>();
            readAll(bootstrap, changelog, record -> {
                if (record.value() != null) {
                    latest.put(java.util.Base64.getEncoder().encodeToString(record.key()), record.value().length);
                }
            });
            var sizes = latest.values().stream().mapToInt(Integer::intValue).summaryStatistics();
            System.out.printf(
                    Locale.ROOT,
                    "  %s: %d windows stored, bytes per window mean %.0f, min %d, max %d%n",
                    store,
                    sizes.getCount(),
                    sizes.getAverage(),
                    sizes.getMin(),
                    sizes.getMax());
        }
    }
}
