package io.wafleet.bench.router;

import io.wafleet.avro.Dialect;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.router.RouterApplication;
import io.wafleet.router.requests.RequestConsumer;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
 * Sticky selection over HTTP with two routers that each hold only their own partitions' accounts
 * ({@code hold=owned-partitions}): {@code GET /api/v1/servers/select?accountId=} for accounts the called router holds
 * (answered locally) against accounts the other one holds (forwarded one hop), same accounts, same client, one call
 * at a time, alternating.
 */
@Command(name = "sticky-lookups", mixinStandardHelpOptions = true)
public final class StickyLookups implements Callable<Integer> {

    private static final String TOKEN = "bench-admin-token";

    @Option(names = "--accounts", defaultValue = "200")
    int accounts;

    @Option(names = "--calls", defaultValue = "4000", description = "per kind, after as many to warm up")
    int calls;

    private final HttpClient http = HttpClient.newHttpClient();

    public static void main(String[] args) {
        System.exit(new CommandLine(new StickyLookups()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Topics topics = Topics.defaults();
        Path data = Files.createTempDirectory("wafleet-sticky-bench");
        List<ServerSpec> specs = IntStream.range(0, 4)
                .mapToObj(i -> ServerSpec.builder("sticky-" + i, Dialect.SEED)
                        .capacity(100, 1000)
                        .build())
                .toList();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                SimulatedFleet fleet = SimulatedFleet.start(specs);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            ConnectThroughput.provision(kafka, topics, producer, fleet);
            try (ConfigurableApplicationContext first = router(kafka);
                    ConfigurableApplicationContext second = router(kafka)) {
                ConnectThroughput.awaitReady(first);
                ConnectThroughput.awaitReady(second);
                int partitions = TopicsConfig.defaults().connectionRequests().partitions();
                while (owned(first) + owned(second) < partitions || owned(first) == 0 || owned(second) == 0) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < accounts; i++) {
                    String id = "sticky-acct-" + i;
                    HttpResponse<String> connect = call(first, "POST", "/api/v1/accounts/" + id + "/connect");
                    if (connect.statusCode() != 200) {
                        throw new IllegalStateException("connect " + id + ": " + connect.body());
                    }
                    ids.add(id);
                }
                RequestConsumer held = first.getBean(RequestConsumer.class);
                List<String> local = ids.stream().filter(held::holds).toList();
                List<String> remote = ids.stream().filter(id -> !held.holds(id)).toList();
                System.out.printf(
                        "2 routers (owned partitions %d and %d of %d), %d accounts: %d held by the called router,"
                                + " %d by the other%n",
                        owned(first), owned(second), partitions, ids.size(), local.size(), remote.size());
                measure(first, local, remote, calls); // warm-up
                measure(first, local, remote, calls);
            }
        }
        return 0;
    }

    private void measure(ConfigurableApplicationContext router, List<String> local, List<String> remote, int n)
            throws Exception {
        long[] localNanos = new long[n];
        long[] remoteNanos = new long[n];
        for (int i = 0; i < n; i++) {
            localNanos[i] = timeSelect(router, local.get(i % local.size()));
            remoteNanos[i] = timeSelect(router, remote.get(i % remote.size()));
        }
        Arrays.sort(localNanos);
        Arrays.sort(remoteNanos);
        System.out.printf(
                "sticky select, %d calls each: held here p50 %.2f ms p99 %.2f ms; held by the other router (forwarded)"
                        + " p50 %.2f ms p99 %.2f ms%n",
                n,
                localNanos[n / 2] / 1e6,
                localNanos[(int) (n * 0.99)] / 1e6,
                remoteNanos[n / 2] / 1e6,
                remoteNanos[(int) (n * 0.99)] / 1e6);
    }

    private long timeSelect(ConfigurableApplicationContext router, String accountId) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = call(router, "GET", "/api/v1/servers/select?accountId=" + accountId);
        long took = System.nanoTime() - start;
        if (answer.statusCode() != 200 || !answer.body().contains("\"sticky\":true")) {
            throw new IllegalStateException("select " + accountId + ": " + answer.statusCode() + " " + answer.body());
        }
        return took;
    }

    private HttpResponse<String> call(ConfigurableApplicationContext router, String method, String path)
            throws Exception {
        String port = router.getEnvironment().getProperty("local.server.port");
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                method.equals("POST")
                                        ? HttpRequest.BodyPublishers.ofString("{\"environment\":\"production\"}")
                                        : HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int owned(ConfigurableApplicationContext router) {
        return router.getBean(RequestConsumer.class).ownedPartitions().size();
    }

    private static ConfigurableApplicationContext router(EmbeddedKafka kafka) {
        return new SpringApplicationBuilder(RouterApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--wafleet.router.admin-token=" + TOKEN,
                        "--wafleet.router.accounts.hold=owned-partitions",
                        // One client makes every call: the per-address and per-token limits would be what is measured.
                        "--wafleet.router.rate-limit-per-second=0",
                        "--wafleet.router.token-rate-limit-per-second=0",
                        "--management.endpoint.health.group.readiness.include=readinessState,fleet,accounts",
                        "--logging.level.root=WARN");
    }
}
