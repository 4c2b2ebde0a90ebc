package io.wafleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.Dialect;
import io.wafleet.client.CallResult;
import io.wafleet.client.ClientSettings;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerClients;
import io.wafleet.client.ServerEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Health-check throughput: starts the simulator in its own JVM ({@code java -jar} of its exec jar), then one
 * {@link ServerClients} keeps a fixed number of health checks in flight against its servers for a while, and reports
 * checks per second, latency percentiles, failures, and how many requests the simulator itself served.
 */
@Command(name = "health-throughput", mixinStandardHelpOptions = true)
public final class HealthThroughput implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--simulator-jar", defaultValue = "simulator/target/wafleet-simulator-0.1.0-SNAPSHOT-exec.jar")
    Path simulatorJar;

    @Option(names = "--servers", defaultValue = "20")
    int servers;

    @Option(names = "--dialect", defaultValue = "seed")
    String dialect;

    @Option(names = "--in-flight", defaultValue = "256", description = "Health checks in flight at once.")
    int inFlight;

    @Option(names = "--warmup-seconds", defaultValue = "5")
    int warmupSeconds;

    @Option(names = "--seconds", defaultValue = "15")
    int seconds;

    @Option(names = "--latency-median-ms", defaultValue = "1")
    double latencyMedianMs;

    @Option(names = "--latency-p99-ms", defaultValue = "5")
    double latencyP99Ms;

    @Option(names = "--simulator-heap", defaultValue = "512m")
    String simulatorHeap;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HealthThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SimulatorProcess started = SimulatorProcess.start(
                simulatorJar,
                List.of("-Xmx" + simulatorHeap),
                List.of(
                        "--servers",
                        Integer.toString(servers),
                        "--dialects",
                        dialect,
                        "--no-api-keys",
                        "--latency-median-ms",
                        Double.toString(latencyMedianMs),
                        "--latency-p99-ms",
                        Double.toString(latencyP99Ms)));
        Process simulator = started.process();
        try (ServerClients clients = new ServerClients(ClientSettings.defaults())) {
            JsonNode fleet = started.servers();
            List<ServerClient> targets = new ArrayList<>();
            for (JsonNode server : fleet.get("servers")) {
                String url = "http://127.0.0.1:" + server.get("port").asInt();
                targets.add(clients.forEndpoint(ServerEndpoint.of(
                                server.get("id").asText(),
                                url,
                                Dialect.valueOf(server.get("dialect").asText().toUpperCase(Locale.ROOT)))
                        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))));
            }
            String control = fleet.at("/simulator/controlUrl").asText();
            run(targets, Duration.ofSeconds(warmupSeconds), null);
            long servedBefore = served(control);
            Report report = run(targets, Duration.ofSeconds(seconds), control);
            long served = served(control) - servedBefore;
            System.out.printf(
                    Locale.ROOT,
                    "servers=%d dialect=%s in-flight=%d seconds=%d%n"
                            + "client: %.0f health checks/s, %d ok, %d failed, latency p50 %.2f ms, p99 %.2f ms,"
                            + " max %.2f ms%n"
                            + "simulator: %.0f requests/s served%n",
                    servers,
                    dialect,
                    inFlight,
                    seconds,
                    report.ok / report.elapsedSeconds,
                    report.ok,
                    report.failed,
                    report.latency.getValueAtPercentile(50) / 1000.0,
                    report.latency.getValueAtPercentile(99) / 1000.0,
                    report.latency.getMaxValue() / 1000.0,
                    served / report.elapsedSeconds);
            return report.failed == 0 ? 0 : 1;
        } finally {
            simulator.destroy();
            simulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Report(long ok, long failed, double elapsedSeconds, ConcurrentHistogram latency) {}

    private Report run(List<ServerClient> targets, Duration duration, String control) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentHistogram latency = new ConcurrentHistogram(3);
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        int next = 0;
        while (System.nanoTime() < deadline) {
            slots.acquire();
            ServerClient target = targets.get(next++ % targets.size());
            target.health().thenAccept(result -> {
                if (result instanceof CallResult.Ok<?>) {
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                latency.recordValue(Math.max(1, result.latency().toNanos() / 1000));
                slots.release();
            });
        }
        slots.acquire(inFlight);
        double elapsed = (System.nanoTime() - started) / 1e9;
        return new Report(ok.get(), failed.get(), elapsed, latency);
    }

    private static long served(String control) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(control + "/control/servers"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        long total = 0;
        for (JsonNode server : MAPPER.readTree(response.body())) {
            total += server.get("requests").asLong();
        }
        return total;
    }
}
