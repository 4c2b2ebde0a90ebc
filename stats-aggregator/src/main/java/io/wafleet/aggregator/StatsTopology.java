package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The stats-aggregator's topology, a pure function of its configuration. Reads wa.health-checks, wa.server-configs
 * and wa.server-stats (all keyed by serverId); writes per-server and per-pool windows to wa.server-metrics, the
 * health table to wa.server-health, and status changes and alerts to wa.server-events.
 */
public final class StatsTopology {

    /** The per-server window store of each size is named this plus the size in seconds, e.g. {@code latency-60s}. */
    public static final String LATENCY_STORE_PREFIX = "latency-";
    /** The per-pool store of each window size, e.g. {@code pool-latency-60s}: each pool's open window. */
    public static final String POOL_LATENCY_STORE_PREFIX = "pool-latency-";
    /** serverId → ServerHealth, the state machine's store. */
    public static final String HEALTH_STORE = "server-health-state";
    /** serverId → the part of its health a routine check changes ({@link CheckState}). */
    public static final String CHECK_STORE = "server-check-state";
    /** serverId → the latest ServerConfig. */
    public static final String CONFIG_STORE = "server-configs";
    /** Pool membership and healthy counts for the panic alert. */
    public static final String POOL_STORE = "pool-standing";

    private StatsTopology() {}

    public static Topology build(AggregatorConfig config, Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(HEALTH_STORE),
                        Serdes.String(),
                        topics.serverHealth().valueSerde())
                // Caching only coalesces this store's changelog writes until the next commit; the processor
                // forwards health records itself, so caching never delays them.
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CHECK_STORE), Serdes.String(), CheckState.serde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CONFIG_STORE),
                Serdes.String(),
                topics.serverConfigs().valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(POOL_STORE), Serdes.String(), Serdes.String()));
        for (Duration size : config.windows().sizes()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(POOL_LATENCY_STORE_PREFIX + size.toSeconds() + "s"),
                    Serdes.String(),
                    PoolWindowAggregator.storeSerde()));
        }

        KStream<String, HealthCheck> checks = builder.stream(
                topics.healthChecks().name(),
                consumed(topics.healthChecks(), "health-checks").withTimestampExtractor(new CheckedAtExtractor()));
        // Every input is keyed by serverId; a record without a key belongs to no server.
        KStream<String, HealthCheck> validChecks =
                checks.filter((serverId, check) -> serverId != null && check != null, Named.as("valid-checks"));
        KStream<String, HealthInput> inputs = builder.stream(
                        topics.serverConfigs().name(), consumed(topics.serverConfigs(), "server-configs"))
                .<HealthInput>mapValues(HealthInput.Config::new, Named.as("config-input"))
                .merge(
                        validChecks.<HealthInput>mapValues(HealthInput.Check::new, Named.as("check-input")),
                        Named.as("with-checks"))
                .merge(
                        builder.stream(topics.serverStats().name(), consumed(topics.serverStats(), "server-stats"))
                                .filter((serverId, stats) -> stats != null, Named.as("valid-stats"))
                                .<HealthInput>mapValues(HealthInput.Stats::new, Named.as("stats-input")),
                        Named.as("with-stats"));
        inputs = latencyWindows(config, topics, validChecks, inputs);
        health(config, topics, inputs);
        return builder.build();
    }

    /** Per-server and per-pool windows of every size; the closed server windows also feed the health table. */
    private static KStream<String, HealthInput> latencyWindows(
            AggregatorConfig config,
            Topics topics,
            KStream<String, HealthCheck> checks,
            KStream<String, HealthInput> inputs) {
        WindowSettings windows = config.windows();
        Serde<LatencyWindow> windowSerde = LatencyWindowSerde.create(windows.exactSamples());
        KGroupedStream<String, HealthCheck> byServer = checks.groupByKey(Grouped.with(
                "checks-by-server",
                topics.healthChecks().keySerde(),
                topics.healthChecks().valueSerde()));
        for (Duration size : windows.sizes()) {
            String name = LATENCY_STORE_PREFIX + size.toSeconds() + "s";
            KStream<Windowed<String>, LatencyWindow> closed = byServer.windowedBy(
                            TimeWindows.ofSizeAndGrace(size, windows.grace()))
                    // One record per window, when it closes: consumers get final figures, never partial ones.
                    .emitStrategy(EmitStrategy.onWindowClose())
                    .aggregate(
                            () -> new LatencyWindow(windows.exactSamples()),
                            (serverId, check, window) -> window.add(check.getSuccess(), check.getLatencyMicros()),
                            Named.as(name + "-aggregate"),
                            Materialized.<String, LatencyWindow, WindowStore<Bytes, byte[]>>as(name)
                                    .withKeySerde(Serdes.String())
                                    .withValueSerde(windowSerde)
                                    // Emission looks for closed windows at most once a second; with the minimum
                                    // retention (size + grace) a jump in stream time could drop a closed window's
                                    // segment before that look. One more window of retention leaves room.
                                    .withRetention(size.multipliedBy(2).plus(windows.grace()))
                                    // Measured: with emit-on-close, the cache's range scan for closed windows costs
                                    // more than the writes it saves (13k checks/s cached, 27k without).
                                    .withCachingDisabled())
                    .toStream(Named.as(name + "-closed"));
            KStream<String, ServerMetrics> serverMetrics = closed.map(
                    (window, latencies) -> KeyValue.pair(
                            window.key(),
                            metrics(
                                    window.key(),
                                    window.window().start(),
                                    window.window().end(),
                                    latencies,
                                    size,
                                    MetricsScope.SERVER)),
                    Named.as(name + "-metrics"));
            serverMetrics.to(topics.serverMetrics().name(), produced(topics.serverMetrics(), name + "-to-metrics"));
            inputs = inputs.merge(
                    serverMetrics.<HealthInput>mapValues(HealthInput.Window::new, Named.as(name + "-input")),
                    Named.as("with-" + name));
            poolWindows(config, topics, closed, size, windowSerde);
        }
        return inputs;
    }

    /**
     * A pool's window merges its servers' closed windows (sketches are mergeable), keyed by pool. Each server window
     * arrives stamped with its start, and a pool window is emitted once the next period's server windows arrive: pool
     * figures come one window size after the server figures, complete.
     */
    private static void poolWindows(
            AggregatorConfig config,
            Topics topics,
            KStream<Windowed<String>, LatencyWindow> closed,
            Duration size,
            Serde<LatencyWindow> windowSerde) {
        String name = POOL_LATENCY_STORE_PREFIX + size.toSeconds() + "s";
        closed.process(PoolWindowProcessor.supplier(), Named.as(name + "-keys"), CONFIG_STORE)
                .repartition(Repartitioned.with(Serdes.String(), windowSerde).withName(name + "-by-pool"))
                .process(
                        PoolWindowAggregator.supplier(
                                name, size, config.windows().exactSamples()),
                        Named.as(name + "-aggregate"),
                        name)
                .to(topics.serverMetrics().name(), produced(topics.serverMetrics(), name + "-to-metrics"));
    }

    /** The health state machine, its table and events, and the pools' panic events. */
    private static void health(AggregatorConfig config, Topics topics, KStream<String, HealthInput> inputs) {
        KStream<String, HealthOutput> outputs = inputs.process(
                HealthProcessor.supplier(config.health(), config.windows().sizes()),
                Named.as("health-state"),
                HEALTH_STORE,
                CHECK_STORE,
                CONFIG_STORE);
        outputs.split(Named.as("health-output-"))
                .branch(
                        (serverId, output) -> output instanceof HealthOutput.Health,
                        Branched.withConsumer(
                                table -> table.mapValues(
                                                output -> ((HealthOutput.Health) output).health(),
                                                Named.as("health-records"))
                                        .to(
                                                topics.serverHealth().name(),
                                                produced(topics.serverHealth(), "health-to-table")),
                                "table"))
                .branch(
                        (key, output) -> output instanceof HealthOutput.Event,
                        Branched.withConsumer(
                                events -> events.mapValues(
                                                output -> ((HealthOutput.Event) output).event(),
                                                Named.as("health-events"))
                                        .to(
                                                topics.serverEvents().name(),
                                                produced(topics.serverEvents(), "health-events-to-events")),
                                "events"))
                .branch(
                        (pool, output) -> output instanceof HealthOutput.Member,
                        Branched.withConsumer(members -> panic(config, topics, members), "members"))
                .noDefaultBranch();
    }

    private static void panic(AggregatorConfig config, Topics topics, KStream<String, HealthOutput> members) {
        members.mapValues(member -> ((HealthOutput.Member) member).encoded(), Named.as("members-encoded"))
                // Keyed by pool: one task sees every server of a pool and counts them.
                .repartition(
                        Repartitioned.with(Serdes.String(), Serdes.String()).withName("members-by-pool"))
                .process(PanicProcessor.supplier(config.health().panicThreshold()), Named.as("pool-panic"), POOL_STORE)
                .to(topics.serverEvents().name(), produced(topics.serverEvents(), "panic-to-events"));
    }

    private static <V> Consumed<String, V> consumed(Topic<String, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** The window as a ServerMetrics; its event id is derived from key, size and start, so a re-emit is the same. */
    static ServerMetrics metrics(
            String key, long startMillis, long endMillis, LatencyWindow latencies, Duration size, MetricsScope scope) {
        Instant start = Instant.ofEpochMilli(startMillis);
        String identity = key + "|" + size.toSeconds() + "|" + start.toEpochMilli();
        int slash = key.indexOf('/');
        return ServerMetrics.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setKey(key)
                .setScope(scope)
                .setServerId(scope == MetricsScope.SERVER ? key : null)
                .setEnvironment(scope == MetricsScope.SERVER ? null : slash < 0 ? key : key.substring(0, slash))
                .setLocation(scope == MetricsScope.LOCATION ? key.substring(slash + 1) : null)
                .setWindowSizeSeconds((int) size.toSeconds())
                .setWindowStart(start)
                .setWindowEnd(Instant.ofEpochMilli(endMillis))
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
