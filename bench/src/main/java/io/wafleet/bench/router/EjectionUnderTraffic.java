package io.wafleet.bench.router;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthCheck;
import io.wafleet.bench.Percentiles;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.router.RouterApplication;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.service.TopicListener;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How soon a router stops choosing a failing server on its own calls' failures (local outlier ejection): a pool of
 * simulated SEED servers, one router, CONNECTs posted every {@code --spacing} ms; in each trial one server starts to
 * refuse connections (or answer 503) and {@code --connects} CONNECTs follow. From the router's own records: its PASSIVE
 * checks of the server (one per failed call) and the PENDING events that chose it. The health table stays HEALTHY
 * throughout the trial (no aggregator runs), so only ejection stops the choosing. After each trial the server
 * recovers and its row goes UNHEALTHY and back to HEALTHY, as the aggregator's checks would make it: the router takes
 * it back at that, and the bench times it. Between trials every account is connected (scanned after 100 ms), so no
 * session watch of an earlier trial calls the failing server: its failures are the trial's connects alone.
 */
@Command(name = "ejection-under-traffic", mixinStandardHelpOptions = true)
public final class EjectionUnderTraffic implements Callable<Integer> {

    @Option(names = "--servers", defaultValue = "3", description = "in the pool")
    int servers;

    @Option(names = "--spacing", defaultValue = "50,10", split = ",", description = "ms between CONNECTs")
    int[] spacings;

    @Option(names = "--connects", defaultValue = "30", description = "per trial")
    int connects;

    @Option(names = "--trials", defaultValue = "20", description = "per fault and spacing")
    int trials;

    private final Topics topics = Topics.defaults();
    private final ConcurrentLinkedQueue<ConnectionEvent> pending = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<HealthCheck> passive = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new EjectionUnderTraffic()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wafleet-ejection-bench");
        List<ServerSpec> specs = IntStream.range(0, servers)
                .mapToObj(i -> ServerSpec.builder("pool-" + i, Dialect.SEED)
                        .latency(10, 12)
                        .capacity(100, 1000)
                        .scanDelay(Duration.ofMillis(100))
                        .build())
                .toList();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                SimulatedFleet fleet = SimulatedFleet.start(specs);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            ConnectThroughput.provision(kafka, topics, producer, fleet);
            try (ConfigurableApplicationContext router = new SpringApplicationBuilder(RouterApplication.class)
                    .run(
                            "--server.port=0",
                            "--management.server.port=0",
                            "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                            "--management.endpoint.health.group.readiness.include=readinessState,fleet,accounts",
                            "--wafleet.router.accounts.status-poll-interval=200ms",
                            "--wafleet.router.public-reads=true",
                            "--logging.level.root=WARN")) {
                ConnectThroughput.awaitReady(router);
                AtomicBoolean reading = new AtomicBoolean(true);
                Thread reader = new Thread(() -> read(kafka.bootstrapServers(), reading), "records");
                reader.start();
                System.out.printf(
                        "%d simulated SEED servers in one pool, one router, %d CONNECTs per trial, %d trials%n",
                        servers, connects, trials);
                for (Fault fault : List.of(Fault.of(Fault.Mode.DOWN), Fault.error(503))) {
                    for (int spacing : spacings) {
                        List<Trial> results = new ArrayList<>();
                        List<Long> readmissions = new ArrayList<>();
                        for (int t = 0; t < trials; t++) {
                            SimulatedServer failing = fleet.servers().get(t % servers);
                            results.add(trial(producer, failing, fault, spacing));
                            readmissions.add(readmit(router, producer, failing));
                            awaitAllConnected();
                        }
                        report(fault, spacing, results);
                        System.out.printf(
                                "  taken back after its row went UNHEALTHY and HEALTHY again: ms p50 %d p99 %d%n",
                                Percentiles.of(
                                        readmissions.stream()
                                                .mapToLong(Long::longValue)
                                                .toArray(),
                                        50),
                                Percentiles.of(
                                        readmissions.stream()
                                                .mapToLong(Long::longValue)
                                                .toArray(),
                                        99));
                    }
                }
                reading.set(false);
                reader.join();
            }
        }
        return 0;
    }

    /** One trial's figures, ms; {@code ejectedAfter} is -1 when the server was never ejected. */
    record Trial(
            int picks,
            int failures,
            long firstFailureAfterFault,
            long lastPickAfterFailure,
            long ejectedAfter,
            long lastPickAfterFault) {}

    private Trial trial(KafkaProducer<byte[], byte[]> producer, SimulatedServer failing, Fault fault, int spacing)
            throws InterruptedException {
        pending.clear();
        passive.clear();
        String trial = UUID.randomUUID().toString().substring(0, 8);
        Instant faultAt = Instant.now();
        failing.fault(fault);
        long start = System.nanoTime();
        for (int i = 0; i < connects; i++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos((long) i * spacing);
            while (System.nanoTime() < due) {
                TimeUnit.MICROSECONDS.sleep(200);
            }
            String account = "acc-" + trial + "-" + i;
            ConnectionTopics.connect(topics, producer, UUID.randomUUID().toString(), account);
            posted.incrementAndGet();
        }
        // Every account of the trial answered (its QR from another server) before the figures are read.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answered(trial) < connects && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        failing.recover();
        List<Instant> picks = pending.stream()
                .filter(e -> e.getAccountId().contains(trial) && failing.id().equals(e.getServerId()))
                .filter(e -> e.getState() == AccountState.PENDING)
                .map(ConnectionEvent::getOccurredAt)
                .sorted()
                .toList();
        List<Instant> failures = passive.stream()
                .filter(c -> failing.id().equals(c.getServerId())
                        && !c.getCheckedAt().isBefore(faultAt))
                .map(HealthCheck::getCheckedAt)
                .sorted()
                .toList();
        if (failures.isEmpty()) {
            return new Trial(picks.size(), 0, -1, -1, -1, -1);
        }
        Instant first = failures.get(0);
        Instant last = picks.isEmpty() ? first : picks.get(picks.size() - 1);
        // The failure that ejected it: the third in a row (the default); every call to it failed in a trial.
        Instant ejecting = failures.size() >= 3 ? failures.get(2) : null;
        return new Trial(
                picks.size(),
                failures.size(),
                Duration.between(faultAt, first).toMillis(),
                Math.max(
                        0,
                        Duration.between(ejecting == null ? first : ejecting, last)
                                .toMillis()),
                ejecting == null ? -1 : Duration.between(first, ejecting).toMillis(),
                picks.isEmpty() ? 0 : Duration.between(faultAt, last).toMillis());
    }

    private final Map<String, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger posted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger connected = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The failing server's row goes UNHEALTHY, then (once the router shows it) HEALTHY: the ms from HEALTHY being
     * written to the router having no server ejected.
     */
    private long readmit(
            ConfigurableApplicationContext router, KafkaProducer<byte[], byte[]> producer, SimulatedServer server)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String api = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.server.port") + "/api/v1/servers/"
                + server.id();
        ConnectThroughput.publishHealth(topics, producer, server, io.wafleet.avro.HealthStatus.UNHEALTHY);
        producer.flush();
        while (!http.send(HttpRequest.newBuilder(URI.create(api)).build(), HttpResponse.BodyHandlers.ofString())
                .body()
                .contains("\"status\":\"UNHEALTHY\"")) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        long start = System.nanoTime();
        ConnectThroughput.publishHealth(topics, producer, server, io.wafleet.avro.HealthStatus.HEALTHY);
        producer.flush();
        awaitNoEjection(router);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private void awaitAllConnected() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (connected.get() < posted.get() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private int answered(String trial) {
        return answers.getOrDefault(trial, 0);
    }

    private static void report(Fault fault, int spacing, List<Trial> results) {
        List<Trial> ejected =
                results.stream().filter(t -> t.ejectedAfter() >= 0).toList();
        System.out.printf(
                "%s, CONNECTs %d ms apart: ejected in %d of %d trials; picks of the failing server per trial p50 %d"
                        + " max %d; from the ejecting (3rd) failure to its last pick ms p50 %d p99 %d max %d;"
                        + " from its first failure to the ejecting one ms p50 %d p99 %d; from the fault to its last"
                        + " pick ms p50 %d p99 %d%n",
                fault.mode() == Fault.Mode.DOWN ? "refusing" : "answering " + fault.status(),
                spacing,
                ejected.size(),
                results.size(),
                Percentiles.of(results.stream().mapToLong(Trial::picks).toArray(), 50),
                Percentiles.of(results.stream().mapToLong(Trial::picks).toArray(), 100),
                Percentiles.of(
                        ejected.stream().mapToLong(Trial::lastPickAfterFailure).toArray(), 50),
                Percentiles.of(
                        ejected.stream().mapToLong(Trial::lastPickAfterFailure).toArray(), 99),
                Percentiles.of(
                        ejected.stream().mapToLong(Trial::lastPickAfterFailure).toArray(), 100),
                Percentiles.of(ejected.stream().mapToLong(Trial::ejectedAfter).toArray(), 50),
                Percentiles.of(ejected.stream().mapToLong(Trial::ejectedAfter).toArray(), 99),
                Percentiles.of(
                        results.stream().mapToLong(Trial::lastPickAfterFault).toArray(), 50),
                Percentiles.of(
                        results.stream().mapToLong(Trial::lastPickAfterFault).toArray(), 99));
    }

    private void read(String bootstrap, AtomicBoolean reading) {
        Topic<String, ConnectionEvent> events = topics.connectionEvents();
        Topic<String, HealthCheck> checks = topics.healthChecks();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>(TopicListener.partitionsOf(consumer, events.name()));
            partitions.addAll(TopicListener.partitionsOf(consumer, checks.name()));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.topic().equals(events.name())) {
                        ConnectionEvent event =
                                events.valueSerde().deserializer().deserialize(record.topic(), record.value());
                        if (event.getState() == AccountState.PENDING) {
                            pending.add(event);
                        } else if (event.getState() == AccountState.QR_REQUIRED) {
                            String trial = event.getAccountId().split("-")[1];
                            answers.merge(trial, 1, Integer::sum);
                        } else if (event.getState() == AccountState.CONNECTED) {
                            connected.incrementAndGet();
                        }
                    } else {
                        HealthCheck check =
                                checks.valueSerde().deserializer().deserialize(record.topic(), record.value());
                        if (check.getSource() == CheckSource.PASSIVE) {
                            passive.add(check);
                        }
                    }
                }
            }
        }
    }

    /** Waits until the router has no server ejected (its gauge), so that each trial starts from none. */
    private static void awaitNoEjection(ConfigurableApplicationContext router) throws Exception {
        String url = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.management.port")
                + "/actuator/prometheus";
        HttpClient http = HttpClient.newHttpClient();
        while (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body()
                .lines()
                .anyMatch(line -> line.startsWith("wafleet_router_outlier_ejected{") && !line.endsWith(" 0.0"))) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
