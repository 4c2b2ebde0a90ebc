package io.wafleet.router;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.Pool;
import io.wafleet.router.select.PoolRules;
import io.wafleet.router.select.ServerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each pool as selection sees it, as gauges tagged {@code pool} (its key: {@code *}, an environment,
 * environment/location, or {@code *}/location): servers counted for the panic share and those HEALTHY, whether the
 * pool is in panic by its rule's threshold (1) or not (0), and the capacity and load of the servers that can take
 * accounts, and the P95 and P99 of the pool's latest closed 1-minute window (the aggregator's merged sketch of its
 * servers' checks, from wa.server-metrics). The panic flag is the selector's own test, so an alert on it fires exactly when selection widens.
 */
final class PoolGauges {

    private final MultiGauge counted;
    private final MultiGauge healthy;
    private final MultiGauge panic;
    private final MultiGauge capacity;
    private final MultiGauge accounts;
    private final MultiGauge p95;
    private final MultiGauge p99;

    PoolGauges(MeterRegistry meters) {
        this.counted =
                FleetMetrics.gauge(meters, "wafleet.pool.servers.counted", "servers that count for the panic share");
        this.healthy = FleetMetrics.gauge(meters, "wafleet.pool.servers.healthy", "of those, the HEALTHY ones");
        this.panic =
                FleetMetrics.gauge(meters, "wafleet.pool.panic", "1 while fewer than the panic threshold are HEALTHY");
        this.capacity = FleetMetrics.gauge(
                meters, "wafleet.pool.capacity.accounts", "capacity of the servers that take accounts");
        this.accounts =
                FleetMetrics.gauge(meters, "wafleet.pool.load.accounts", "load of the servers that take accounts");
        this.p95 = FleetMetrics.gauge(
                meters, "wafleet.pool.latency.p95.seconds", "P95 of the pool's latest closed 1-minute window");
        this.p99 = FleetMetrics.gauge(
                meters, "wafleet.pool.latency.p99.seconds", "P99 of the pool's latest closed 1-minute window");
    }

    /** @param windows the latest closed 1-minute window of each pool, by pool key */
    void refresh(Fleet fleet, PoolRules rules, Load load, Map<String, ServerMetrics> windows) {
        List<MultiGauge.Row<?>> counts = new ArrayList<>();
        List<MultiGauge.Row<?>> healthies = new ArrayList<>();
        List<MultiGauge.Row<?>> panics = new ArrayList<>();
        List<MultiGauge.Row<?>> capacities = new ArrayList<>();
        List<MultiGauge.Row<?>> loads = new ArrayList<>();
        for (Map.Entry<String, Pool> entry : fleet.pools().entrySet()) {
            Pool pool = entry.getValue();
            String[] parts = entry.getKey().split("/", 2);
            String environment = parts[0].equals("*") ? null : parts[0];
            String location = parts.length > 1 ? parts[1] : null;
            double threshold = rules.rule(environment, location).panicThreshold();
            Tags tags = Tags.of("pool", entry.getKey());
            counts.add(MultiGauge.Row.of(tags, pool.counted()));
            healthies.add(MultiGauge.Row.of(tags, pool.healthy()));
            panics.add(MultiGauge.Row.of(tags, pool.inPanic(threshold) ? 1 : 0));
            long poolCapacity = 0;
            long poolLoad = 0;
            for (Pool.Tier tier : pool.tiers()) {
                for (ServerView server : tier.servers()) {
                    poolCapacity += server.capacity();
                    poolLoad += server.load(load);
                }
            }
            capacities.add(MultiGauge.Row.of(tags, poolCapacity));
            loads.add(MultiGauge.Row.of(tags, poolLoad));
        }
        List<MultiGauge.Row<?>> p95s = new ArrayList<>();
        List<MultiGauge.Row<?>> p99s = new ArrayList<>();
        windows.forEach((pool, window) -> {
            if (window.getP95Micros() != null) {
                p95s.add(MultiGauge.Row.of(Tags.of("pool", pool), window.getP95Micros() / 1e6));
                p99s.add(MultiGauge.Row.of(Tags.of("pool", pool), window.getP99Micros() / 1e6));
            }
        });
        p95.register(p95s, true);
        p99.register(p99s, true);
        counted.register(counts, true);
        healthy.register(healthies, true);
        panic.register(panics, true);
        capacity.register(capacities, true);
        accounts.register(loads, true);
    }
}
