package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The stats-aggregator's topology, a pure function of its configuration: wa.health-checks → per-server tumbling
 * windows of every configured size → one ServerMetrics per window to wa.server-metrics, when the window closes.
 */
public final class StatsTopology {

    /** The window store of each size is named this plus the size in seconds, e.g. {@code latency-60s}. */
    public static final String LATENCY_STORE_PREFIX = "latency-";

    private StatsTopology() {}

    public static Topology build(AggregatorConfig config, Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, HealthCheck> checks = builder.stream(
                topics.healthChecks().name(),
                Consumed.with(
                                topics.healthChecks().keySerde(),
                                topics.healthChecks().valueSerde())
                        .withTimestampExtractor(new CheckedAtExtractor())
                        .withName("health-checks"));
        KGroupedStream<String, HealthCheck> byServer = checks.filter(
                        (serverId, check) -> serverId != null && check != null, Named.as("valid-checks"))
                .groupByKey(Grouped.with(
                        "checks-by-server",
                        topics.healthChecks().keySerde(),
                        topics.healthChecks().valueSerde()));
        Serde<LatencyWindow> windowSerde = LatencyWindowSerde.create(config.exactSamples());
        for (Duration size : config.windowSizes()) {
            String name = LATENCY_STORE_PREFIX + size.toSeconds() + "s";
            byServer.windowedBy(TimeWindows.ofSizeAndGrace(size, config.grace()))
                    // One record per window, when it closes: consumers get final figures, never partial ones.
                    .emitStrategy(EmitStrategy.onWindowClose())
                    .aggregate(
                            () -> new LatencyWindow(config.exactSamples()),
                            (serverId, check, window) -> window.add(check.getSuccess(), check.getLatencyMicros()),
                            Named.as(name + "-aggregate"),
                            Materialized.<String, LatencyWindow, WindowStore<Bytes, byte[]>>as(name)
                                    .withKeySerde(topics.healthChecks().keySerde())
                                    .withValueSerde(windowSerde))
                    .toStream(Named.as(name + "-closed"))
                    .map(
                            (window, latencies) -> new org.apache.kafka.streams.KeyValue<>(
                                    window.key(), metrics(window, latencies, size)),
                            Named.as(name + "-metrics"))
                    .to(
                            topics.serverMetrics().name(),
                            Produced.with(
                                            topics.serverMetrics().keySerde(),
                                            topics.serverMetrics().valueSerde())
                                    .withName(name + "-to-metrics"));
        }
        return builder.build();
    }

    /** The window as a ServerMetrics; its event id is derived from key, size and start, so a re-emit is the same. */
    static ServerMetrics metrics(Windowed<String> window, LatencyWindow latencies, Duration size) {
        Instant start = Instant.ofEpochMilli(window.window().start());
        String identity = window.key() + "|" + size.toSeconds() + "|" + start.toEpochMilli();
        return ServerMetrics.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setKey(window.key())
                .setScope(MetricsScope.SERVER)
                .setServerId(window.key())
                .setWindowSizeSeconds((int) size.toSeconds())
                .setWindowStart(start)
                .setWindowEnd(Instant.ofEpochMilli(window.window().end()))
                .setCount(latencies.count)
                .setFailures(latencies.failures)
                .setErrorRate(latencies.count == 0 ? 0 : (double) latencies.failures / latencies.count)
                .setMinMicros(latencies.samples == 0 ? null : latencies.min)
                .setAvgMicros(latencies.average())
                .setP50Micros(latencies.quantile(0.50))
                .setP95Micros(latencies.quantile(0.95))
                .setP99Micros(latencies.quantile(0.99))
                .setMaxMicros(latencies.samples == 0 ? null : latencies.max)
                .build();
    }
}
