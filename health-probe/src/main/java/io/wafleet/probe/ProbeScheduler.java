package io.wafleet.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each owned server's checks at its interval: the first at a random point within the interval (no thundering
 * herd when a worker takes thousands of servers at once), then one interval after the previous was due, never two at
 * once. A new config takes effect at the next check; a removed server gets no further check.
 */
final class ProbeScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeScheduler.class);

    /** One server's schedule. */
    private final class Probe {
        final String serverId;
        final int partition;
        volatile ProbeTarget target;
        volatile boolean removed;
        volatile ScheduledFuture<?> next;
        long dueNanos;
        long statsDueNanos;

        Probe(ProbeTarget target, int partition) {
            this.serverId = target.serverId();
            this.target = target;
            this.partition = partition;
        }
    }

    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    private final Map<String, Counter> checkCounters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final HealthChecker checker;
    private final CheckPublisher publisher;
    private final Timer lag;
    private final MeterRegistry meters;

    private final long statsIntervalNanos;

    ProbeScheduler(
            ScheduledExecutorService timer,
            HealthChecker checker,
            CheckPublisher publisher,
            MeterRegistry meters,
            Duration statsInterval) {
        this.timer = timer;
        this.statsIntervalNanos = statsInterval.toNanos();
        this.checker = checker;
        this.publisher = publisher;
        this.meters = meters;
        this.lag = Timer.builder("wafleet.probe.schedule.lag")
                .description("how late checks start after they were due")
                // Buckets only: Prometheus computes quantiles; client-side percentiles would cost on every check.
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(meters);
        meters.gauge("wafleet.probe.servers.owned", probes, Map::size);
    }

    /** Starts checking the server, or changes its config from its next check on. */
    void upsert(ProbeTarget target, int partition) {
        Probe existing = probes.get(target.serverId());
        if (existing != null && !existing.removed) {
            existing.target = target;
            return;
        }
        Probe probe = new Probe(target, partition);
        probe.statsDueNanos = System.nanoTime();
        probes.put(target.serverId(), probe);
        long offset = ThreadLocalRandom.current()
                .nextLong(Math.max(1, target.interval().toNanos()));
        probe.dueNanos = System.nanoTime() + offset;
        probe.next = timer.schedule(() -> run(probe), offset, TimeUnit.NANOSECONDS);
    }

    void remove(String serverId) {
        Probe probe = probes.remove(serverId);
        if (probe != null) {
            probe.removed = true;
            ScheduledFuture<?> next = probe.next;
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    /** Stops checking the servers of a partition this worker no longer owns. */
    void removePartition(int partition) {
        probes.values().stream()
                .filter(probe -> probe.partition == partition)
                .map(probe -> probe.serverId)
                .toList()
                .forEach(this::remove);
    }

    int owned() {
        return probes.size();
    }

    boolean owns(String serverId) {
        return probes.containsKey(serverId);
    }

    private void run(Probe probe) {
        if (probe.removed) {
            return;
        }
        long started = System.nanoTime();
        lag.record(Math.max(0, started - probe.dueNanos), TimeUnit.NANOSECONDS);
        ProbeTarget target = probe.target;
        boolean withStats = started - probe.statsDueNanos >= 0;
        checker.check(target, withStats).whenComplete((outcome, error) -> {
            // Whatever happens to this check and its publishing, the server's next check is scheduled.
            try {
                if (error != null) {
                    LOG.warn("check of {} failed unexpectedly: {}", probe.serverId, error.toString());
                }
                if (outcome != null && !probe.removed) {
                    publisher.publish(outcome);
                    if (outcome.stats().isPresent()) {
                        probe.statsDueNanos = started + statsIntervalNanos;
                    }
                    checks(outcome.check()).increment();
                }
            } catch (RuntimeException e) {
                LOG.warn("check of {} not recorded: {}", probe.serverId, e.toString());
            } finally {
                scheduleNext(probe);
            }
        });
    }

    /** The counter of checks with this result and kind, made once and kept: looking it up per check costs. */
    private Counter checks(io.wafleet.avro.HealthCheck check) {
        String kind =
                check.getErrorKind() == null ? "none" : check.getErrorKind().name();
        return checkCounters.computeIfAbsent(
                kind,
                key -> Counter.builder("wafleet.probe.checks")
                        .tag("result", check.getSuccess() ? "success" : "failure")
                        .tag("kind", key)
                        .register(meters));
    }

    private void scheduleNext(Probe probe) {
        if (probe.removed) {
            return;
        }
        long now = System.nanoTime();
        long due = Math.max(probe.dueNanos + probe.target.interval().toNanos(), now);
        probe.dueNanos = due;
        probe.next = timer.schedule(() -> run(probe), due - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        probes.keySet().forEach(this::remove);
        timer.shutdownNow();
    }
}
