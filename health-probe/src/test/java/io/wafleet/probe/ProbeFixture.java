package io.wafleet.probe;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerStats;
import io.wafleet.platform.junit.TopicCollector;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.simulator.SimulatedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One test's world: its own topics (so tests never see each other's configs), probe workers started as real
 * applications, configs produced for simulated servers, and every HealthCheck the workers publish, collected.
 */
final class ProbeFixture implements AutoCloseable {

    final KafkaCluster kafka;
    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    final TopicsConfig config;
    final Topics topics;
    final ConcurrentLinkedQueue<HealthCheck> checks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> deadLetters = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ServerStats> stats = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ServerEvent> events = new ConcurrentLinkedQueue<>();
    private final List<ConfigurableApplicationContext> workers = new ArrayList<>();
    private final TopicCollector collector;
    private final KafkaProducer<String, byte[]> producer;

    ProbeFixture(KafkaCluster kafka) {
        this.kafka = kafka;
        this.config = new TopicsConfig(
                TopicSpec.compacted(prefix + ".server-configs", 6, (short) 1),
                null,
                TopicSpec.deleteAfter(prefix + ".health-checks", 6, (short) 1, Duration.ofDays(1)),
                TopicSpec.deleteAfter(prefix + ".server-stats", 6, (short) 1, Duration.ofDays(1)),
                null,
                null,
                null,
                null,
                null,
                TopicSpec.deleteAfter(prefix + ".dead-letters", 1, (short) 1, Duration.ofDays(1)),
                null,
                null,
                null,
                null,
                null,
                null);
        this.topics = new Topics(config);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, config);
        }
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
        collector = TopicCollector.start(
                kafka.bootstrapServers(),
                prefix + "-collector",
                List.of(
                        topics.healthChecks().name(),
                        topics.deadLetters().name(),
                        topics.serverStats().name(),
                        topics.serverEvents().name()),
                this::collect);
    }

    ConfigurableApplicationContext startWorker(String probeId, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--wafleet.probe.probe-id=" + probeId,
                "--wafleet.probe.group-id=" + prefix + "-probes",
                "--wafleet.probe.retry-backoff=50ms"));
        config.asProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        for (String property : extra) {
            args.add("--" + property);
        }
        ConfigurableApplicationContext worker =
                new SpringApplicationBuilder(HealthProbeApplication.class).run(args.toArray(String[]::new));
        workers.add(worker);
        return worker;
    }

    static ServerConfig.Builder config(SimulatedServer server, Duration interval) {
        return server.config()
                .setEnvironment("test")
                .setHealthCheckInterval((int) interval.toMillis())
                .setConnectionTimeout(1000)
                .setRequestTimeout(500)
                .setMaxRetries(0);
    }

    void publish(ServerConfig config) throws Exception {
        producer.send(new ProducerRecord<>(
                        topics.serverConfigs().name(),
                        config.getId(),
                        topics.serverConfigs()
                                .valueSerde()
                                .serializer()
                                .serialize(topics.serverConfigs().name(), config)))
                .get();
    }

    void publishRaw(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topics.serverConfigs().name(), key, value))
                .get();
    }

    List<HealthCheck> checksOf(String serverId) {
        return checks.stream()
                .filter(check -> check.getServerId().equals(serverId))
                .toList();
    }

    List<HealthCheck> checksSince(Instant since) {
        return checks.stream()
                .filter(check -> !check.getCheckedAt().isBefore(since))
                .toList();
    }

    private void collect(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(topics.deadLetters().name())) {
            deadLetters.add(record);
        } else if (record.topic().equals(topics.serverEvents().name())) {
            events.add(topics.serverEvents().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else if (record.topic().equals(topics.serverStats().name())) {
            stats.add(topics.serverStats().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else {
            checks.add(topics.healthChecks().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
    }

    @Override
    public void close() throws Exception {
        workers.forEach(ConfigurableApplicationContext::close);
        collector.close();
        producer.close();
    }
}
