package io.wafleet.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a simulated server's webhooks, fire and forget as WAHA Core does (2024.10.8 {@code WebhookSenderCore.send}:
 * one POST, its failure logged and forgotten), with the faults of a real network: a share of deliveries lost, a share
 * sent twice, each delayed by a random time up to {@code jitter} (so they can arrive out of order).
 */
public final class WebhookOut {

    /** One delivery: where, the headers besides Content-Type, the JSON body. */
    record Outgoing(String url, Map<String, String> headers, byte[] body) {}

    /** The network's faults: loss and duplicate shares in [0, 1], the largest delay. */
    public record Faults(double loss, double duplicates, Duration jitter) {
        public static final Faults NONE = new Faults(0, 0, Duration.ZERO);

        public Faults {
            if (loss < 0 || loss > 1 || duplicates < 0 || duplicates > 1) {
                throw new IllegalArgumentException("loss and duplicates are shares between 0 and 1");
            }
            if (jitter.isNegative()) {
                throw new IllegalArgumentException("jitter must not be negative");
            }
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ScheduledExecutorService timers;
    private final HttpClient http;
    private volatile Faults faults = Faults.NONE;
    private final LongAdder sent = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder failed = new LongAdder();

    WebhookOut(ScheduledExecutorService timers) {
        this.timers = timers;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    void faults(Faults faults) {
        this.faults = faults;
    }

    Faults faults() {
        return faults;
    }

    void send(List<Outgoing> deliveries) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Faults now = faults;
        for (Outgoing delivery : deliveries) {
            if (random.nextDouble() < now.loss()) {
                lost.increment();
                continue;
            }
            int copies = random.nextDouble() < now.duplicates() ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                long delay =
                        now.jitter().isZero() ? 0 : random.nextLong(now.jitter().toMillis() + 1);
                timers.schedule(() -> post(delivery), delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void post(Outgoing delivery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().forEach(request::header);
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                sent.increment();
            } else {
                failed.increment();
            }
        });
    }

    /** Deliveries answered 2xx, lost on purpose, and failed (refused, timed out, answered otherwise). */
    Map<String, Object> counts() {
        return Json.object("sent", sent.sum(), "lost", lost.sum(), "failed", failed.sum());
    }
}
