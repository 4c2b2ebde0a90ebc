package io.wafleet.router;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.ServerView;
import io.wafleet.schemas.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health table the router selects from, as Prometheus gauges per server: its status (one series, value 1, for the
 * status it has now), capacity, load as selection counts it (reported connected plus in progress), and the latest
 * closed 1-minute window's P95, P99 and error rate; and each pool's ({@link PoolGauges}). Refreshed from the fleet
 * snapshot every few seconds; a removed server's series go away.
 */
public final class FleetMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetMetrics.class);

    private final FleetState state;
    private final MetricsHistory history;
    private final Load load;
    private final MultiGauge status;
    private final MultiGauge capacity;
    private final MultiGauge accounts;
    private final MultiGauge p95;
    private final MultiGauge p99;
    private final MultiGauge errorRate;
    private final PoolGauges pools;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fleet-metrics"));

    public FleetMetrics(FleetState state, MetricsHistory history, Load load, MeterRegistry meters, Duration every) {
        this.state = state;
        this.history = history;
        this.load = load;
        this.status = gauge(meters, "wafleet.server.status", "1 for the server's current health status");
        this.capacity = gauge(meters, "wafleet.server.capacity.accounts", "maxInstances x maxUsersPerInstance");
        this.accounts = gauge(meters, "wafleet.server.load.accounts", "connected as reported plus in progress");
        this.p95 = gauge(meters, "wafleet.server.latency.p95.seconds", "P95 of the latest closed 1-minute window");
        this.p99 = gauge(meters, "wafleet.server.latency.p99.seconds", "P99 of the latest closed 1-minute window");
        this.errorRate = gauge(meters, "wafleet.server.error.ratio", "error rate of the latest closed 1-minute window");
        this.pools = new PoolGauges(meters);
        timer.scheduleWithFixedDelay(this::refreshLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    static MultiGauge gauge(MeterRegistry meters, String name, String description) {
        return MultiGauge.builder(name).description(description).register(meters);
    }

    /** A failed refresh is logged and the next one runs: an exception would end the schedule silently. */
    private void refreshLogged() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("fleet metrics not refreshed: {}", e.toString());
        }
    }

    /** Sets every gauge from the current snapshot. */
    void refresh() {
        List<MultiGauge.Row<?>> statuses = new ArrayList<>();
        List<MultiGauge.Row<?>> capacities = new ArrayList<>();
        List<MultiGauge.Row<?>> loads = new ArrayList<>();
        List<MultiGauge.Row<?>> p95s = new ArrayList<>();
        List<MultiGauge.Row<?>> p99s = new ArrayList<>();
        List<MultiGauge.Row<?>> errorRates = new ArrayList<>();
        for (ServerView server : state.fleet().servers()) {
            Tags tags = Tags.of(
                    "server_id", server.id(),
                    "server", server.name(),
                    "environment", server.environment(),
                    "location", server.location());
            statuses.add(
                    MultiGauge.Row.of(tags.and("status", server.status().name().toLowerCase(Locale.ROOT)), 1));
            capacities.add(MultiGauge.Row.of(tags, server.capacity()));
            loads.add(MultiGauge.Row.of(tags, server.load(load)));
            ServerHealth health = state.health(server.id());
            ServerMetrics window = health == null ? null : health.getMetrics1m();
            if (window != null && window.getP95Micros() != null) {
                p95s.add(MultiGauge.Row.of(tags, window.getP95Micros() / 1e6));
                p99s.add(MultiGauge.Row.of(tags, window.getP99Micros() / 1e6));
            }
            if (window != null) {
                errorRates.add(MultiGauge.Row.of(tags, window.getErrorRate()));
            }
        }
        status.register(statuses, true);
        capacity.register(capacities, true);
        accounts.register(loads, true);
        p95.register(p95s, true);
        p99.register(p99s, true);
        errorRate.register(errorRates, true);
        pools.refresh(state.fleet(), state.rules(), load, history.latestOfPools(60));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
