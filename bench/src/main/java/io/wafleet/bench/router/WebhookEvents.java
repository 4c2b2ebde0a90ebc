package io.wafleet.bench.router;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.Dialect;
import io.wafleet.bench.Percentiles;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.router.RouterApplication;
import io.wafleet.schemas.Topics;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The servers' events against polling alone, in one run on one machine: simulated WAHA Plus servers that send their
 * session webhooks, one router on an embedded broker, {@code --sessions} accounts waiting for a scan. For each mode
 * (events on, then {@code wafleet.router.webhooks.enabled=false}), a fresh fleet and router: the status calls the
 * servers answer per second while every session waits, then {@code --scans} scans, each timed from the scan to its
 * CONNECTED event on wa.connection-events. The status poll interval is the default (2 s) in both.
 */
@Command(name = "webhook-events", mixinStandardHelpOptions = true)
public final class WebhookEvents implements Callable<Integer> {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Option(names = "--servers", defaultValue = "10")
    int servers;

    @Option(names = "--sessions", defaultValue = "2000", description = "accounts waiting for a scan, per mode")
    int sessions;

    @Option(names = "--observe-seconds", defaultValue = "30", description = "status calls counted over this")
    int observeSeconds;

    @Option(names = "--scans", defaultValue = "200")
    int scans;

    @Option(names = "--receiver-seconds", defaultValue = "20", description = "deliveries posted to the receiver")
    int receiverSeconds;

    @Option(names = "--receiver-concurrency", defaultValue = "32")
    int receiverConcurrency;

    private final Topics topics = Topics.defaults();
    private final Map<String, Long> scannedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> connectedAfter = new ConcurrentHashMap<>();
    private final Map<String, Boolean> waiting = new ConcurrentHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new WebhookEvents()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        System.out.printf(
                "%d simulated WAHA Plus servers, %d sessions waiting for a scan, status poll every 2 s;"
                        + " one router; 2-core machine%n",
                servers, sessions);
        mode("events on", "on");
        mode("polling only", "off");
        return 0;
    }

    /** One mode on a broker of its own, so that nothing of the other mode is in its topics. */
    private void mode(String name, String prefix) throws Exception {
        Path data = Files.createTempDirectory("wafleet-webhook-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                    org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                io.wafleet.service.TopicProvisioner.ensure(admin, io.wafleet.schemas.TopicsConfig.defaults());
            }
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = new Thread(() -> read(kafka.bootstrapServers(), reading), "events");
            reader.start();
            mode(name, kafka, producer, prefix);
            reading.set(false);
            reader.join();
        }
    }

    private void mode(String name, EmbeddedKafka kafka, KafkaProducer<byte[], byte[]> producer, String prefix)
            throws Exception {
        List<ServerSpec> specs = IntStream.range(0, servers)
                .mapToObj(i -> ServerSpec.builder(prefix + "-waha-" + i, Dialect.WAHA)
                        .tier("PLUS")
                        .capacity(1_000, 1_000)
                        .latency(5, 10)
                        .build())
                .toList();
        try (SimulatedFleet fleet = SimulatedFleet.start(specs)) {
            ConnectThroughput.provision(kafka, topics, producer, fleet);
            LongAdder statusCalls = new LongAdder();
            AtomicBoolean counting = new AtomicBoolean();
            fleet.servers()
                    .forEach(server -> server.onServed(call -> {
                        if (counting.get() && call.method().equals("GET")) {
                            statusCalls.increment();
                        }
                    }));
            try (ConfigurableApplicationContext router = new SpringApplicationBuilder(RouterApplication.class)
                    .run(
                            "--server.port=0",
                            "--management.server.port=0",
                            "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                            "--management.endpoint.health.group.readiness.include=readinessState,fleet,accounts",
                            "--wafleet.router.api-key-encryption-key=" + KEY,
                            "--wafleet.router.webhooks.enabled=" + prefix.equals("on"),
                            "--wafleet.router.accounts.qr-timeout=30m",
                            "--wafleet.router.accounts.max-in-flight=" + (sessions + 100),
                            "--logging.level.root=WARN")) {
                ConnectThroughput.awaitReady(router);
                List<String> accounts = IntStream.range(0, sessions)
                        .mapToObj(i -> prefix + "-account-" + i)
                        .toList();
                accounts.forEach(account -> ConnectionTopics.connect(
                        topics, producer, java.util.UUID.randomUUID().toString(), account));
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (!accounts.stream().allMatch(waiting::containsKey) && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                counting.set(true);
                TimeUnit.SECONDS.sleep(observeSeconds);
                counting.set(false);
                double perSecond = statusCalls.sum() / (double) observeSeconds;
                long[] times = scan(fleet, accounts.subList(0, Math.min(scans, accounts.size())));
                System.out.printf(
                        "%-13s status calls %7.1f/s for %d waiting sessions (%.3f per session per second);"
                                + " scan to CONNECTED over %d scans: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
                        name,
                        perSecond,
                        sessions,
                        perSecond / sessions,
                        times.length,
                        Percentiles.of(times, 50),
                        Percentiles.of(times, 95),
                        Percentiles.of(times, 99),
                        Percentiles.of(times, 100));
                if (prefix.equals("on")) {
                    new ReceiverLoad(router, fleet.servers().get(0).id(), KEY)
                            .run(receiverSeconds, receiverConcurrency);
                }
            }
        }
    }

    /** Scans the sessions one every 20 ms; the time from each scan to its CONNECTED, in milliseconds. */
    private long[] scan(SimulatedFleet fleet, List<String> accounts) throws InterruptedException {
        for (String account : accounts) {
            for (SimulatedServer server : fleet.servers()) {
                long at = System.nanoTime();
                if (server.scan(account)) {
                    scannedAt.put(account, at);
                    break;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!accounts.stream().allMatch(connectedAfter::containsKey) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return accounts.stream()
                .filter(connectedAfter::containsKey)
                .mapToLong(account -> TimeUnit.NANOSECONDS.toMillis(connectedAfter.get(account)))
                .sorted()
                .toArray();
    }

    private void read(String bootstrap, AtomicBoolean reading) {
        ConnectionTopics.read(topics, bootstrap, reading, (event, now) -> {
            if (event.getState() == AccountState.QR_REQUIRED) {
                waiting.put(event.getAccountId(), true);
            } else if (event.getState() == AccountState.CONNECTED) {
                Long scanned = scannedAt.get(event.getAccountId());
                if (scanned != null) {
                    connectedAfter.putIfAbsent(event.getAccountId(), now - scanned);
                }
            }
        });
    }
}
