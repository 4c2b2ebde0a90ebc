package io.wafleet.bench.peers;

import io.wafleet.avro.Dialect;
import io.wafleet.bench.Percentiles;
import io.wafleet.platform.FreePorts;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The peer of {@code EjectionUnderTraffic}: HAProxy (Debian's package) in front of the same pool of 3 simulated SEED
 * servers, round robin, its passive health observing on ({@code observe layer7 error-limit 3 on-error mark-down}:
 * 3 errors in a row mark a server down, as wafleet's 3 failed calls in a row eject it), retries with redispatch (as
 * wafleet's connect tries the next server), and active checks every 2 s (fall 3, rise 2). In each trial one server
 * starts to refuse connections (or answer 503) and 30 requests follow through HAProxy, 50 or 10 ms apart. From
 * HAProxy's own counters (sessions and connection errors of the failing server, polled every 2 ms): the requests it
 * sent that server, and the time from the fault to the last one.
 */
@Command(name = "haproxy-observe", mixinStandardHelpOptions = true)
public final class HaproxyObserve implements Callable<Integer> {

    @Option(names = "--spacing", defaultValue = "50,10", split = ",", description = "ms between requests")
    int[] spacings;

    @Option(names = "--requests", defaultValue = "30", description = "per trial")
    int requests;

    @Option(names = "--trials", defaultValue = "10", description = "per fault and spacing")
    int trials;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HaproxyObserve()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (Haproxy.binary() == null) {
            System.out.println("SKIPPED: HAProxy is not installed (apt-get install haproxy)");
            return 0;
        }
        Path data = Files.createTempDirectory("wafleet-peers-observe");
        List<ServerSpec> specs = IntStream.range(0, 3)
                .mapToObj(i -> ServerSpec.builder("pool-" + i, Dialect.SEED)
                        .latency(10, 12)
                        .build())
                .toList();
        int port = FreePorts.any();
        try (SimulatedFleet fleet = SimulatedFleet.start(specs);
                Haproxy haproxy = Haproxy.start(data, config(port, fleet.servers()))) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String url = "http://127.0.0.1:" + port + "/api/health";
            System.out.printf(
                    "%s in front of 3 simulated SEED servers, round robin, observe layer7 error-limit 3"
                            + " on-error mark-down, retries 3 with redispatch; %d requests per trial, %d trials%n",
                    Haproxy.version(), requests, trials);
            for (Fault fault : List.of(Fault.of(Fault.Mode.DOWN), Fault.error(503))) {
                for (int spacing : spacings) {
                    List<long[]> results = new ArrayList<>();
                    for (int t = 0; t < trials; t++) {
                        SimulatedServer failing = fleet.servers().get(t % 3);
                        String name = "p" + (t % 3);
                        awaitUp(haproxy, fleet.servers().size());
                        results.add(trial(haproxy, http, url, failing, name, fault, spacing));
                    }
                    long[] sent = results.stream().mapToLong(r -> r[0]).toArray();
                    long[] last = results.stream().mapToLong(r -> r[1]).toArray();
                    System.out.printf(
                            "%s, requests %d ms apart: requests sent to the failing server per trial p50 %d max %d;"
                                    + " from the fault to the last one sent to it ms p50 %d p99 %d%n",
                            fault.mode() == Fault.Mode.DOWN ? "refusing" : "answering " + fault.status(),
                            spacing,
                            Percentiles.of(sent, 50),
                            Percentiles.of(sent, 100),
                            Percentiles.of(last, 50),
                            Percentiles.of(last, 99));
                }
            }
        }
        return 0;
    }

    private static String config(int port, List<SimulatedServer> servers) {
        String members = IntStream.range(0, servers.size())
                .mapToObj(
                        i -> "    server p" + i + " 127.0.0.1:" + servers.get(i).port()
                                + " check inter 2s fall 3 rise 2 observe layer7 error-limit 3 on-error mark-down")
                .collect(Collectors.joining("\n"));
        return """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    timeout check 5s
                    retries 3
                    option redispatch 1
                frontend in
                    bind 127.0.0.1:%d
                    default_backend pool
                backend pool
                    balance roundrobin
                    option httpchk GET /api/health
                    http-check expect status 200
                %s
                """.formatted(port, members);
    }

    /** {sent to the failing server, ms from the fault to the last one sent}. */
    private long[] trial(
            Haproxy haproxy,
            HttpClient http,
            String url,
            SimulatedServer failing,
            String name,
            Fault fault,
            int spacing)
            throws Exception {
        long before = attempts(haproxy, name);
        long start = System.nanoTime();
        failing.fault(fault);
        List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
        long last = start;
        long seen = before;
        for (int i = 0; i < requests; i++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos((long) i * spacing);
            while (System.nanoTime() < due) {
                long now = attempts(haproxy, name);
                if (now != seen) {
                    seen = now;
                    last = System.nanoTime();
                }
                TimeUnit.MILLISECONDS.sleep(2);
            }
            calls.add(http.sendAsync(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        while (!calls.stream().allMatch(java.util.concurrent.CompletableFuture::isDone)) {
            long now = attempts(haproxy, name);
            if (now != seen) {
                seen = now;
                last = System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        long now = attempts(haproxy, name);
        if (now != seen) {
            seen = now;
            last = System.nanoTime();
        }
        failing.recover();
        return new long[] {seen - before, seen == before ? 0 : TimeUnit.NANOSECONDS.toMillis(last - start)};
    }

    /** Requests HAProxy sent the server: its sessions and its connection errors so far. */
    private static long attempts(Haproxy haproxy, String server) throws Exception {
        return Long.parseLong(haproxy.field(server, "stot")) + Long.parseLong(haproxy.field(server, "econ"));
    }

    private static void awaitUp(Haproxy haproxy, int servers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!IntStream.range(0, servers).allMatch(i -> {
            try {
                return haproxy.field("p" + i, "status").equals("UP");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("HAProxy's servers not all UP within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
