package io.wafleet.bench.router;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import io.wafleet.bench.ThreadCpu;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.router.RouterApplication;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end CONNECT throughput and latency: CONNECT requests posted to wa.connection-requests at a fixed rate (open
 * loop), one router on an embedded broker handling them against simulated SEED servers that take
 * {@code --server-ms} per call, and the time from posting each request to reading its QR_REQUIRED event from
 * wa.connection-events. Simulated sessions are scanned one second after their QR shows, so the router's session
 * watches (one status call each) are part of the load.
 */
@Command(name = "connect-throughput", mixinStandardHelpOptions = true)
public final class ConnectThroughput implements Callable<Integer> {

    @Option(names = "--servers", defaultValue = "20")
    int servers;

    @Option(names = "--rate", defaultValue = "500", split = ",", description = "requests a second; several to step")
    int[] rates;

    @Option(names = "--seconds", defaultValue = "30", description = "per rate")
    int seconds;

    @Option(names = "--server-ms", defaultValue = "10")
    double serverMs;

    @Option(
            names = "--qr-images-ahead",
            defaultValue = "0",
            description = "each simulated server draws this many QR images at start and reuses them, standing in for"
                    + " servers on other hosts (their drawing then costs this machine nothing); 0 draws each QR")
    int qrImagesAhead;

    @Option(names = "--warmup-seconds", defaultValue = "20", description = "at 200 requests a second, not counted")
    int warmupSeconds;

    private final Topics topics = Topics.defaults();
    /** The step under way. */
    private volatile ConnectTimes times = new ConnectTimes();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConnectThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wafleet-connect-bench");
        List<ServerSpec> specs = IntStream.range(0, servers)
                .mapToObj(i -> ServerSpec.builder("bench-" + i, Dialect.SEED)
                        .latency(serverMs, serverMs * 1.2)
                        .capacity(100, 1000)
                        .scanDelay(Duration.ofSeconds(1))
                        .qrImagesAhead(qrImagesAhead)
                        .build())
                .toList();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                SimulatedFleet fleet = SimulatedFleet.start(specs);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                1),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            provision(kafka, topics, producer, fleet);
            fleet.servers().forEach(server -> server.onServed(call -> times.served(call)));
            try (ConfigurableApplicationContext router = new SpringApplicationBuilder(RouterApplication.class)
                    .run(
                            "--server.port=0",
                            "--management.server.port=0",
                            "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                            "--management.endpoint.health.group.readiness.include=readinessState,fleet,accounts",
                            "--logging.level.root=WARN")) {
                awaitReady(router);
                AtomicBoolean reading = new AtomicBoolean(true);
                Thread reader = new Thread(() -> read(kafka.bootstrapServers(), reading), "answers");
                reader.start();
                TimeUnit.SECONDS.sleep(2);
                System.out.printf(
                        "%d simulated SEED servers, %.0f ms per call, %s; one router; 2-core machine%n",
                        servers,
                        serverMs,
                        qrImagesAhead == 0 ? "each QR drawn" : qrImagesAhead + " QR images drawn ahead each");
                if (warmupSeconds > 0) {
                    System.out.print("warm-up: ");
                    run(producer, 200, warmupSeconds);
                }
                for (int rate : rates) {
                    run(producer, rate, seconds);
                }
                reading.set(false);
                reader.join();
            }
        }
        return 0;
    }

    private void run(KafkaProducer<byte[], byte[]> producer, int rate, int seconds) throws InterruptedException {
        ConnectTimes times = new ConnectTimes();
        this.times = times;
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        ThreadCpu cpu = ThreadCpu.start();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String requestId = UUID.randomUUID().toString();
            times.sent(requestId);
            ConnectionTopics.connect(topics, producer, requestId, ConnectTimes.accountOf(requestId));
        }
        long sendNanos = System.nanoTime() - start;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (times.answers() < total && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        times.print(rate, seconds, total, start, sendNanos, serverMs, cpu);
    }

    private void read(String bootstrap, AtomicBoolean reading) {
        ConnectionTopics.read(topics, bootstrap, reading, (event, now) -> {
            if (event.getState() == AccountState.QR_REQUIRED) {
                times.answered(event.getRequestId(), now);
            }
        });
    }

    /** The default topics created, and every simulated server made known. */
    static void provision(
            EmbeddedKafka kafka, Topics topics, KafkaProducer<byte[], byte[]> producer, SimulatedFleet fleet) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicsConfig.defaults());
        }
        for (SimulatedServer server : fleet.servers()) {
            publishServer(topics, producer, server);
        }
        producer.flush();
    }

    /** A simulated server made known as the CDC and the aggregator would: its config and a HEALTHY row. */
    static void publishServer(Topics topics, KafkaProducer<byte[], byte[]> producer, SimulatedServer server) {
        ServerConfig config = server.config().setEnvironment("production").build();
        send(producer, topics.serverConfigs(), server.id(), config);
        publishHealth(topics, producer, server, HealthStatus.HEALTHY);
    }

    /** A server's row in the health table, as the aggregator would write it. */
    static void publishHealth(
            Topics topics, KafkaProducer<byte[], byte[]> producer, SimulatedServer server, HealthStatus status) {
        Instant now = Instant.now();
        ServerHealth health = ServerHealth.newBuilder()
                .setServerId(server.id())
                .setName(server.id())
                .setStatus(status)
                .setStatusSince(now)
                .setUpdatedAt(now)
                .setLastCheckAt(now)
                .setBaseUrl(server.baseUrl())
                .setEnvironment("production")
                .setCapacity(server.spec().capacity())
                .build();
        send(producer, topics.serverHealth(), server.id(), health);
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(
                topic.name(),
                key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    static void awaitReady(ConfigurableApplicationContext router) throws Exception {
        String url = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.server.port") + "/readyz";
        HttpClient http = HttpClient.newHttpClient();
        while (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                != 200) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
