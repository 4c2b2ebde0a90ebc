package io.wafleet.bench;

import io.wafleet.avro.HealthCheck;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** The checks a probe worker published to wa.health-checks, read back after its run. */
final class PublishedChecks {

    private PublishedChecks() {}

    /**
     * p50 / p99 of the published checks' latencies in the window, and a few failures to see what they are. Reads until
     * the topic has no more: the worker must have stopped.
     */
    static String latencies(String bootstrap, Instant from, Instant to) {
        Topic<String, HealthCheck> topic = Topics.defaults().healthChecks();
        List<Long> micros = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "bench-latencies",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            int shown = 0;
            int empty = 0;
            while (empty < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (var record : records) {
                    HealthCheck check = record.value();
                    if (check.getCheckedAt().isBefore(from)
                            || check.getCheckedAt().isAfter(to)) {
                        continue;
                    }
                    micros.add(check.getLatencyMicros());
                    if (!check.getSuccess() && shown++ < 5) {
                        System.out.println("  failed: " + check.getErrorKind() + " after "
                                + check.getLatencyMicros() / 1000 + " ms: " + check.getErrorMessage()
                                + " at " + check.getCheckedAt());
                    }
                }
            }
        }
        long[] values = micros.stream().mapToLong(Long::longValue).toArray();
        return values.length == 0
                ? "(none published)"
                : String.format(
                        Locale.ROOT,
                        "p50 %.1f ms, p99 %.1f ms (%d checks)",
                        Percentiles.of(values, 50) / 1000.0,
                        Percentiles.of(values, 99) / 1000.0,
                        values.length);
    }
}
