package io.wafleet.bench.peers;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import io.wafleet.platform.FreePorts;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicListener;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Failure detection against a peer, in one run on one machine: one simulated SEED server checked at once by
 * wafleet (the probe worker and the aggregator, as processes from their exec jars, over an embedded broker) and by
 * HAProxy (Debian's package), both with the same settings: a check every 2 s, 3 failures to go down, 2 successes to
 * come up, 5 s for a check. For each fault (refusing connections, answering 503, hanging), the time from the fault to
 * each marking the server down (wafleet: leaving HEALTHY in the health table, which the routers stop choosing it on,
 * and UNHEALTHY; HAProxy: DOWN), and from the recovery to each marking it up again.
 */
@Command(name = "failure-detection", mixinStandardHelpOptions = true)
public final class FailureDetection implements Callable<Integer> {

    private static final int INTER_S = 2;
    private static final int FALL = 3;
    private static final int RISE = 2;
    private static final int TIMEOUT_S = 5;

    @Option(names = "--runs", defaultValue = "2", description = "per fault")
    int runs;

    @Option(
            names = "--max-retries",
            defaultValue = "0",
            description = "the server's maxRetries: the probe's retries of a failed check before it counts (HAProxy"
                    + " has none; its fall counts each check)")
    int maxRetries;

    @Option(names = "--probe-jar", defaultValue = "health-probe/target/wafleet-health-probe-0.1.0-SNAPSHOT-exec.jar")
    Path probeJar;

    @Option(
            names = "--aggregator-jar",
            defaultValue = "stats-aggregator/target/wafleet-stats-aggregator-0.1.0-SNAPSHOT-exec.jar")
    Path aggregatorJar;

    private final Topics topics = Topics.defaults();
    private volatile HealthStatus wafleet = HealthStatus.UNKNOWN;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FailureDetection()).execute(args));
    }

    /** One fault's figures, ms: to down and back up, wafleet's and HAProxy's. */
    record Run(
            String fault, long wafleetOut, long wafleetUnhealthy, long haproxyDown, long wafleetUp, long haproxyUp) {}

    @Override
    public Integer call() throws Exception {
        if (Haproxy.binary() == null) {
            System.out.println("SKIPPED: HAProxy is not installed (apt-get install haproxy)");
            return 0;
        }
        Path data = Files.createTempDirectory("wafleet-peers-detection");
        List<Process> services = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                SimulatedFleet fleet = SimulatedFleet.start(List.of(
                        ServerSpec.builder("peer-1", Dialect.SEED).latency(2, 4).build()))) {
            SimulatedServer server = fleet.servers().get(0);
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            publishConfig(kafka.bootstrapServers(), server);
            services.add(service(probeJar, kafka, List.of()));
            services.add(service(
                    aggregatorJar, kafka, List.of("--wafleet.aggregator.state-dir=" + data.resolve("streams"))));
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = new Thread(() -> readHealth(kafka.bootstrapServers(), server.id(), reading), "health");
            reader.start();
            try (Haproxy haproxy = Haproxy.start(data, server.port(), "/api/health", INTER_S, FALL, RISE, TIMEOUT_S)) {
                System.out.printf(
                        "one simulated SEED server; wafleet (probe + aggregator) and %s, both: check every"
                                + " %d s, fall %d, rise %d, %d s check timeout; wafleet's maxRetries %d%n",
                        Haproxy.version(), INTER_S, FALL, RISE, TIMEOUT_S, maxRetries);
                List<Run> results = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    for (Fault fault :
                            List.of(Fault.of(Fault.Mode.DOWN), Fault.error(503), Fault.of(Fault.Mode.HANG))) {
                        results.add(run(server, haproxy, fault));
                    }
                }
                System.out.println("| fault | wafleet: out of selection | wafleet: UNHEALTHY | HAProxy: DOWN | ratio"
                        + " (HAProxy / wafleet out) | wafleet: HEALTHY again | HAProxy: UP again | ratio |");
                System.out.println("|---|---|---|---|---|---|---|---|");
                for (Run r : results) {
                    System.out.printf(
                            "| %s | %.1f s | %.1f s | %.1f s | %.2f× | %.1f s | %.1f s | %.2f× |%n",
                            r.fault(),
                            r.wafleetOut() / 1e3,
                            r.wafleetUnhealthy() / 1e3,
                            r.haproxyDown() / 1e3,
                            (double) r.haproxyDown() / r.wafleetOut(),
                            r.wafleetUp() / 1e3,
                            r.haproxyUp() / 1e3,
                            (double) r.haproxyUp() / r.wafleetUp());
                }
            } finally {
                reading.set(false);
                reader.join();
            }
        } finally {
            services.forEach(Process::destroy);
            for (Process process : services) {
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    private Run run(SimulatedServer server, Haproxy haproxy, Fault fault) throws Exception {
        String name = switch (fault.mode()) {
            case DOWN -> "refusing";
            case ERROR -> "answering " + fault.status();
            default -> fault.mode().name().toLowerCase();
        };
        await(
                "both see it up first",
                () -> wafleet == HealthStatus.HEALTHY && haproxy.status().equals("UP"));
        long start = System.nanoTime();
        server.fault(fault);
        long[] down = until(haproxy, s -> s != HealthStatus.HEALTHY, s -> s == HealthStatus.UNHEALTHY, "DOWN"::equals);
        long[] times = new long[] {ms(down[0], start), ms(down[1], start), ms(down[2], start)};
        randomPhase();
        long recovered = System.nanoTime();
        server.recover();
        long[] up = until(haproxy, s -> s == HealthStatus.HEALTHY, s -> s == HealthStatus.HEALTHY, "UP"::equals);
        return new Run(name, times[0], times[1], times[2], ms(up[0], recovered), ms(up[2], recovered));
    }

    private static void randomPhase() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(
                java.util.concurrent.ThreadLocalRandom.current().nextLong(INTER_S * 1000L));
    }

    private static long ms(long at, long since) {
        return TimeUnit.NANOSECONDS.toMillis(at - since);
    }

    /** Polls every 5 ms until all three hold; the time each first held (nanoTime). */
    private long[] until(
            Haproxy haproxy, Predicate<HealthStatus> first, Predicate<HealthStatus> second, Predicate<String> peer)
            throws Exception {
        long[] at = new long[3];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (at[0] == 0 || at[1] == 0 || at[2] == 0) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new IllegalStateException(
                        "no change within 90 s: wafleet " + wafleet + ", HAProxy " + haproxy.status());
            }
            HealthStatus status = wafleet;
            if (at[0] == 0 && first.test(status)) {
                at[0] = now;
            }
            if (at[1] == 0 && second.test(status)) {
                at[1] = now;
            }
            if (at[2] == 0 && peer.test(haproxy.status())) {
                at[2] = now;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return at;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private Process service(Path jar, EmbeddedKafka kafka, List<String> extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--server.port=" + FreePorts.any(),
                "--management.server.port=" + FreePorts.any(),
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--logging.level.root=WARN"));
        command.addAll(extra);
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private void publishConfig(String bootstrap, SimulatedServer server) {
        ServerConfig config = server.config()
                .setHealthCheckInterval(INTER_S * 1000)
                .setConnectionTimeout(TIMEOUT_S * 1000)
                .setRequestTimeout(TIMEOUT_S * 1000)
                .setMaxRetries(maxRetries)
                .setFall(FALL)
                .setRise(RISE)
                .build();
        Topic<String, ServerConfig> topic = topics.serverConfigs();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                    topic.name(),
                    server.id().getBytes(StandardCharsets.UTF_8),
                    topic.valueSerde().serializer().serialize(topic.name(), config)));
        }
    }

    private void readHealth(String bootstrap, String serverId, AtomicBoolean reading) {
        Topic<String, ServerHealth> topic = topics.serverHealth();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        5,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = TopicListener.partitionsOf(consumer, topic.name());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    ServerHealth health = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (health != null && health.getServerId().equals(serverId)) {
                        wafleet = health.getStatus();
                    }
                }
            }
        }
    }
}
