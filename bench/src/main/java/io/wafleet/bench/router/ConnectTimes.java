package io.wafleet.bench.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.bench.ThreadCpu;
import io.wafleet.simulator.SimulatedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * One step of {@link ConnectThroughput}: when each CONNECT was posted and answered, how long its server took over
 * its connect calls (measured at the server), and the report of it: end-to-end latency, the server's share, and the
 * rest (broker, router, reader) request by request.
 */
final class ConnectTimes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    /** Per account, the time its server took over its connect calls. */
    private final Map<String, Long> serverNanos = new ConcurrentHashMap<>();

    /** The bench's account for a request. */
    static String accountOf(String requestId) {
        return "acct-" + requestId.substring(0, 13);
    }

    void sent(String requestId) {
        sentAt.put(requestId, System.nanoTime());
    }

    /** A QR_REQUIRED read for a request: the first one counts. */
    void answered(String requestId, long now) {
        if (sentAt.containsKey(requestId)) {
            answeredAt.putIfAbsent(requestId, now);
        }
    }

    int answers() {
        return answeredAt.size();
    }

    /** A call a simulated server answered: a SEED connect counts for its account. */
    void served(SimulatedServer.Served call) {
        if (call.method().equals("POST") && call.path().equals("/api/accounts/connect")) {
            try {
                String account = JSON.readTree(call.body()).path("id").asText();
                serverNanos.merge(account, call.nanos(), Long::sum);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    void print(int rate, int seconds, int total, long start, long sendNanos, double serverMs, ThreadCpu cpu) {
        long end = answeredAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
        long[] latencies = sorted(e -> e.getValue() - sentAt.get(e.getKey()));
        long[] atServer = sorted(e -> server(e.getKey()));
        long[] aboveServer = sorted(e -> e.getValue() - sentAt.get(e.getKey()) - server(e.getKey()));
        System.out.printf(
                "rate %d/s for %d s: %d posted in %.1f s, %d answered QR_REQUIRED, %.0f answers/s;"
                        + " latency ms p50 %.1f p95 %.1f p99 %.1f max %.1f (p99 %.1f ms above the %.0f ms server time)%n",
                rate,
                seconds,
                total,
                sendNanos / 1e9,
                latencies.length,
                latencies.length / ((end - start) / 1e9),
                percentile(latencies, 0.50),
                percentile(latencies, 0.95),
                percentile(latencies, 0.99),
                percentile(latencies, 1.0),
                percentile(latencies, 0.99) - serverMs,
                serverMs);
        System.out.printf(
                "  the server's time per CONNECT, measured at the server: p50 %.1f p99 %.1f ms; the rest of each"
                        + " request's time (broker, router, reader): p50 %.1f p95 %.1f p99 %.1f ms%n",
                percentile(atServer, 0.50),
                percentile(atServer, 0.99),
                percentile(aboveServer, 0.50),
                percentile(aboveServer, 0.95),
                percentile(aboveServer, 0.99));
        // Where the two cores went: the router's threads against the simulated servers', the broker's and the bench's.
        Map<String, Long> byGroup = cpu.millisByGroup();
        long all = byGroup.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder top = new StringBuilder();
        byGroup.entrySet().stream()
                .limit(14)
                .forEach(e -> top.append(String.format("  %6d ms  %s%n", e.getValue(), e.getKey())));
        System.out.printf(
                "  CPU over the run: %,d ms on all threads, %.0f µs per answer; the busiest thread groups:%n%s",
                all, latencies.length == 0 ? Double.NaN : all * 1000.0 / latencies.length, top);
    }

    private long server(String requestId) {
        return serverNanos.getOrDefault(accountOf(requestId), 0L);
    }

    private long[] sorted(ToLongFunction<Map.Entry<String, Long>> measure) {
        return answeredAt.entrySet().stream().mapToLong(measure).sorted().toArray();
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
