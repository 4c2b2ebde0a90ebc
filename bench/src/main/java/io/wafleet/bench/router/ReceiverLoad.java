package io.wafleet.bench.router;

import io.wafleet.bench.Percentiles;
import io.wafleet.bench.ThreadCpu;
import io.wafleet.schemas.ApiKeyCipher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Deliveries posted to a router's webhook receiver as fast as {@code concurrency} connections take them: WAHA
 * {@code session.status} bodies for distinct sessions (each a new notice), signed with the server's secret, from
 * this process (so the load generator shares the machine's cores with the router and the broker).
 */
final class ReceiverLoad {

    private final String url;
    private final String secret;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ReceiverLoad(ConfigurableApplicationContext router, String serverId, String encryptionKey) {
        this.url = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.server.port") + "/api/v1/webhooks/"
                + serverId;
        this.secret = ApiKeyCipher.fromBase64Key(encryptionKey)
                .derivedSecrets("webhook:" + serverId)
                .get(0);
    }

    void run(int seconds, int concurrency) throws InterruptedException {
        run(5, concurrency, false);
        run(seconds, concurrency, true);
    }

    private void run(int seconds, int concurrency, boolean report) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        LongAdder accepted = new LongAdder();
        LongAdder other = new LongAdder();
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        AtomicLong sequence = new AtomicLong();
        ThreadCpu cpu = ThreadCpu.start();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            slots.acquire();
            long sent = System.nanoTime();
            String session = "rx-" + sequence.incrementAndGet();
            String body = "{\"event\":\"session.status\",\"session\":\"" + session
                    + "\",\"metadata\":{\"wafleet.accountId\":\""
                    + session + "\"},\"payload\":{\"name\":\"" + session
                    + "\",\"status\":\"STARTING\"},\"engine\":\"WEBJS\","
                    + "\"environment\":{\"version\":\"2024.10.8\",\"engine\":\"WEBJS\",\"tier\":\"PLUS\"}}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + secret)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sent));
                if (error == null && response.statusCode() == 202) {
                    accepted.increment();
                } else {
                    other.increment();
                }
                slots.release();
            });
        }
        slots.acquire(concurrency);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!report) {
            return;
        }
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Long> byGroup = cpu.millisByGroup();
        long tomcat = byGroup.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("http-nio"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        long all = byGroup.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
                "receiver      %,.0f deliveries/s accepted (202) over %.0f s at %d connections, %d not accepted;"
                        + " latency p50 %.1f ms, p99 %.1f ms; CPU: %.2f cores in all (router, broker and this load"
                        + " in one process), %.2f in the router's request threads%n",
                accepted.sum() / elapsed,
                elapsed,
                concurrency,
                other.sum(),
                Percentiles.of(sorted, 50) / 1000.0,
                Percentiles.of(sorted, 99) / 1000.0,
                all / 1000.0 / elapsed,
                tomcat / 1000.0 / elapsed);
    }
}
