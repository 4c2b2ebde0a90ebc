package io.wafleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.schemas.DaemonThreads;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./wafleet demo}: the embedded broker and PostgreSQL, a simulated fleet from {@code examples/servers.json},
 * every service as its own process, the fleet imported through the admin API, a stream of demo connection requests,
 * and after a minute one server failing for a minute. Ctrl-C stops everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs the whole fleet on this machine.")
final class DemoCommand implements Callable<Integer> {

    private static final String[] ENVIRONMENTS = {"production", "production", "staging", "development"};

    @Option(names = "--data", defaultValue = ".wafleet", description = "Broker, database, state and logs (kept).")
    Path data;

    @Option(names = "--servers", defaultValue = "examples/servers.json", description = "The fleet to simulate.")
    Path serversJson;

    @CommandLine.Mixin
    Ports ports = new Ports();

    @Option(names = "--control-port", defaultValue = "8090", description = "The simulator's control API.")
    int controlPort;

    @Option(names = "--scan-delay", defaultValue = "20s", description = "Simulated QR scans happen this late.")
    Duration scanDelay;

    @Option(names = "--request-every", defaultValue = "2s", description = "Demo connection requests; 0 for none.")
    Duration requestEvery;

    @Option(names = "--fault-after", defaultValue = "60s", description = "When a server fails; 0 for never.")
    Duration faultAfter;

    @Option(names = "--fault-for", defaultValue = "60s")
    Duration faultFor;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Path home = Wafleet.home();
        DemoPlatform platform = DemoPlatform.start(
                home,
                home.resolve(data).normalize(),
                home.resolve(serversJson).normalize(),
                ports,
                controlPort,
                scanDelay);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, DaemonThreads.named("demo"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("stopping…");
                            timers.shutdownNow();
                            platform.close();
                            stopped.countDown();
                        },
                        "wafleet-demo-stop"));
        String router = platform.routerUrl();
        String adminToken = platform.adminToken();
        Path dataDir = platform.dataDir();
        System.out.printf(
                """

                wafleet demo: %d simulated servers imported; every service ready %.1f s after start; %d MB RSS in all
                  dashboard   %s/#token=%s
                  API         %s/api/v1/servers   (admin token: %s)
                  OpenAPI     %s/swagger-ui.html   (%s/v3/api-docs)
                  Prometheus  http://localhost:%d/actuator/prometheus   (probe :%d, sink :%d, aggregator :%d)
                  PostgreSQL  %s   user %s
                  Kafka       %s
                  simulator   %s/control/servers
                  logs        %s
                Ctrl-C stops everything.

                """,
                platform.imported(),
                platform.readySeconds(),
                Memory.rssMegabytes(dataDir),
                router,
                adminToken,
                router,
                adminToken,
                router,
                router,
                ports.routerManagement,
                ports.probe,
                ports.sink,
                ports.aggregator,
                platform.database().jdbcUrl(),
                platform.database().user(),
                platform.kafka().bootstrapServers(),
                platform.fleet().controlUrl().orElseThrow(),
                dataDir.resolve("logs"));
        SimulatedFleet fleet = platform.fleet();
        EmbeddedKafka kafka = platform.kafka();

        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        if (!requestEvery.isZero()) {
            AtomicInteger next = new AtomicInteger(1);
            timers.scheduleWithFixedDelay(
                    () -> {
                        int tick = next.getAndIncrement();
                        traffic(producer, tick);
                        DemoMessages.post(
                                producer, Topics.defaults().outboundMessages().name(), tick);
                    },
                    0,
                    requestEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (!faultAfter.isZero()) {
            SimulatedServer victim = fleet.servers().stream()
                    .filter(s -> "production".equals(s.spec().environment()))
                    .findFirst()
                    .orElse(fleet.servers().get(0));
            timers.schedule(
                    () -> {
                        victim.fault(Fault.of(Fault.Mode.DOWN));
                        System.out.println(
                                Instant.now() + "  FAULT: " + victim.spec().name()
                                        + " refuses connections now; watch it turn UNHEALTHY and its accounts go elsewhere");
                    },
                    faultAfter.toMillis(),
                    TimeUnit.MILLISECONDS);
            timers.schedule(
                    () -> {
                        victim.recover();
                        System.out.println(
                                Instant.now() + "  RECOVERED: " + victim.spec().name() + " answers again");
                    },
                    faultAfter.plus(faultFor).toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        timers.scheduleWithFixedDelay(() -> summary(router, adminToken, dataDir), 5, 10, TimeUnit.SECONDS);
        stopped.await();
        producer.close(Duration.ofSeconds(2));
        return 0;
    }

    /**
     * A CONNECT for a new demo account each tick, across the pools; every fifth tick, an older one disconnects (and
     * {@link DemoMessages} sends a message from an account connected a while ago).
     */
    private static void traffic(KafkaProducer<byte[], byte[]> producer, int n) {
        Topic<String, ConnectionRequest> topic = Topics.defaults().connectionRequests();
        String account = String.format("demo-%05d", n);
        send(
                producer,
                topic,
                ConnectionRequest.newBuilder()
                        .setRequestId(UUID.randomUUID().toString())
                        .setAccountId(account)
                        .setAccountName("Demo account " + n)
                        .setAction(ConnectionAction.CONNECT)
                        .setEnvironment(ENVIRONMENTS[n % ENVIRONMENTS.length])
                        .setRequestedAt(Instant.now())
                        .setRequestedBy("wafleet-demo")
                        .build());
        if (n % 5 == 0 && n > 20) {
            send(
                    producer,
                    topic,
                    ConnectionRequest.newBuilder()
                            .setRequestId(UUID.randomUUID().toString())
                            .setAccountId(String.format("demo-%05d", n - 20))
                            .setAction(ConnectionAction.DISCONNECT)
                            .setRequestedBy("wafleet-demo")
                            .build());
        }
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, Topic<String, ConnectionRequest> topic, ConnectionRequest request) {
        producer.send(new ProducerRecord<>(
                topic.name(),
                request.getAccountId().getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), request)));
    }

    /** One line: servers by status, accounts by state, memory. */
    private void summary(String router, String token, Path dataDir) {
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode servers = json.readTree(get(router + "/api/v1/servers", token));
            Map<String, Integer> byStatus = new java.util.TreeMap<>();
            servers.path("servers").forEach(s -> byStatus.merge(s.path("status").asText(), 1, Integer::sum));
            long connected = json.readTree(get(router + "/api/v1/accounts?state=connected&limit=1", token))
                    .path("total")
                    .asLong();
            long waiting = json.readTree(get(router + "/api/v1/accounts?state=qr_required&limit=1", token))
                    .path("total")
                    .asLong();
            System.out.printf(
                    "%s  servers %s · accounts %d connected, %d waiting for a scan · %d MB RSS%n",
                    Instant.now().toString().substring(11, 19),
                    byStatus,
                    connected,
                    waiting,
                    Memory.rssMegabytes(dataDir));
        } catch (IOException | RuntimeException e) {
            System.out.println("summary unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String get(String url, String token) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
