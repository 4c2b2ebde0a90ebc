package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The health state machine, one server at a time: folds configs, checks, stats and closed latency windows into the
 * server's ServerHealth (store {@link StatsTopology#HEALTH_STORE}), publishes it when it changes for readers, raises
 * status-change, capacity, error-rate, P99, stale and unknown-server events, and reports the server's pool standing.
 */
final class HealthProcessor implements Processor<String, HealthInput, String, HealthOutput> {

    private final HealthRules rules;
    private final StatusRules statusRules;
    private final List<Duration> windowSizes;
    private ProcessorContext<String, HealthOutput> context;
    private HealthState health;
    private KeyValueStore<String, ServerConfig> configStore;
    private Sensor unknownServerChecks;

    HealthProcessor(HealthRules rules, List<Duration> windowSizes) {
        this.rules = rules;
        this.statusRules = new StatusRules(rules);
        this.windowSizes = windowSizes;
    }

    @Override
    public void init(ProcessorContext<String, HealthOutput> context) {
        this.context = context;
        this.health = new HealthState(
                context.getStateStore(StatsTopology.HEALTH_STORE), context.getStateStore(StatsTopology.CHECK_STORE));
        this.configStore = context.getStateStore(StatsTopology.CONFIG_STORE);
        this.unknownServerChecks = context.metrics()
                .addRateTotalSensor(
                        "wafleet", "task-" + context.taskId(), "unknown-server-checks", Sensor.RecordingLevel.INFO);
        // Staleness is about the wall clock: a dead probe sends nothing, so stream time would never move.
        context.schedule(rules.staleCheckPeriod(), PunctuationType.WALL_CLOCK_TIME, this::markStale);
    }

    @Override
    public void process(Record<String, HealthInput> record) {
        String serverId = record.key();
        if (serverId == null || record.value() == null) {
            return;
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        HealthInput input = record.value();
        if (input instanceof HealthInput.Check check) {
            onCheck(serverId, check.check(), at);
        } else if (input instanceof HealthInput.Window window) {
            onWindow(serverId, window.metrics(), at);
        } else if (input instanceof HealthInput.Stats stats) {
            onStats(serverId, stats.stats(), at);
        } else if (input instanceof HealthInput.Config config) {
            onConfig(serverId, config.config(), at);
        }
    }

    @Override
    public void close() {
        context.metrics().removeSensor(unknownServerChecks);
    }

    private void onCheck(String serverId, HealthCheck check, Instant at) {
        if (check.getCheckedAt() != null && check.getCheckedAt().toEpochMilli() != at.toEpochMilli()) {
            // Its own time was too far from its record's (CheckedAtExtractor): the health table keeps the record's.
            check = HealthCheck.newBuilder(check).setCheckedAt(at).build();
        }
        boolean passed = StatusRules.passed(check);
        CheckState state = health.check(serverId);
        if (state != null && state.routine(check, passed) && !heartbeatDue(state.updatedAt(), at)) {
            // Most checks of a healthy fleet: nothing to decide or publish, only the counters and times move.
            health.put(serverId, state.touched(check));
            return;
        }
        ServerHealth before = health.get(serverId);
        ServerConfig config = configStore.get(serverId);
        if (config == null) {
            unknownServerChecks.record();
            if (before == null) {
                emit(serverId, HealthEvents.unknownServer(serverId, check.getEventId(), at), at);
            }
        }
        ServerHealth after = before == null ? HealthRecords.placeholder(serverId, at) : HealthRecords.copy(before);
        HealthRecords.applyCheck(after, check, passed);
        if (config != null) {
            HealthRecords.applyCapacity(after, config);
        }
        settle(serverId, before, after, config, check.getEventId(), false, at);
    }

    private boolean heartbeatDue(long publishedAt, Instant at) {
        return at.toEpochMilli() - publishedAt >= rules.heartbeat().toMillis();
    }

    private void onWindow(String serverId, ServerMetrics window, Instant at) {
        int slot = windowSizes.indexOf(Duration.ofSeconds(window.getWindowSizeSeconds()));
        ServerHealth before = health.get(serverId);
        if (before == null || slot < 0 || slot > 1) {
            return;
        }
        ServerMetrics previous = slot == 0 ? before.getMetrics1m() : before.getMetrics5m();
        if (previous != null && !window.getWindowStart().isAfter(previous.getWindowStart())) {
            return;
        }
        ServerHealth after = HealthRecords.copy(before);
        if (slot == 0) {
            after.setMetrics1m(window);
            windowAlerts(serverId, after, previous, window);
        } else {
            after.setMetrics5m(window);
        }
        // A window closes after its end and grace, at a record's time that may be earlier than the latest check.
        Instant when =
                before.getLastCheckAt() != null && before.getLastCheckAt().isAfter(window.getWindowEnd())
                        ? before.getLastCheckAt()
                        : window.getWindowEnd();
        settle(serverId, before, after, configStore.get(serverId), window.getEventId(), false, when);
    }

    private void windowAlerts(String serverId, ServerHealth health, ServerMetrics previous, ServerMetrics window) {
        Instant at = window.getWindowEnd();
        if (!HealthRecords.known(health)) {
            return;
        }
        boolean errorsHigh = statusRules.errorRateBreached(window);
        if (errorsHigh != statusRules.errorRateBreached(previous) && (errorsHigh || previous != null)) {
            emit(serverId, HealthEvents.errorRate(health, window, errorsHigh, rules.errorRateThreshold()), at);
        }
        boolean slow = statusRules.p99Breached(window);
        if (slow != statusRules.p99Breached(previous) && (slow || previous != null)) {
            emit(
                    serverId,
                    HealthEvents.p99(health, window, slow, rules.p99Threshold().toMillis()),
                    at);
        }
    }

    private void onStats(String serverId, ServerStats stats, Instant at) {
        ServerHealth before = health.get(serverId);
        if (before == null) {
            return;
        }
        ServerHealth after = HealthRecords.copy(before);
        after.setStats(stats);
        settle(serverId, before, after, configStore.get(serverId), stats.getEventId(), false, at);
    }

    private void onConfig(String serverId, ServerConfig config, Instant at) {
        ServerHealth before = health.get(serverId);
        ServerConfig previousConfig = configStore.get(serverId);
        if (config == null) {
            configStore.delete(serverId);
            if (before != null) {
                health.delete(serverId);
                if (HealthRecords.known(before)) {
                    context.forward(new Record<>(serverId, new HealthOutput.Health(null), at.toEpochMilli()));
                    emit(serverId, HealthEvents.removed(before, at), at);
                }
                members(serverId, before, null, at);
            }
            return;
        }
        configStore.put(serverId, config);
        ServerHealth after = before == null ? HealthRecords.placeholder(serverId, at) : HealthRecords.copy(before);
        if (previousConfig != null && !previousConfig.getIsEnabled() && config.getIsEnabled()) {
            // Checks stopped while it was disabled: its old counters say nothing about it now.
            HealthRecords.resetCounters(after);
        }
        HealthRecords.applyConfig(after, config);
        settle(serverId, before, after, config, "config-" + config.getVersion(), true, at);
    }

    /** Decides the status of {@code after}, stores it, and publishes what readers must learn of. */
    private void settle(
            String serverId,
            ServerHealth before,
            ServerHealth after,
            ServerConfig config,
            String cause,
            boolean configChanged,
            Instant at) {
        StatusRules.Verdict verdict = statusRules.decide(after, config);
        if (before == null || verdict.status() != before.getStatus()) {
            after.setPreviousStatus(before == null ? null : before.getStatus());
            after.setStatusSince(at);
        }
        after.setStatus(verdict.status());
        after.setReason(verdict.reason());
        boolean known = HealthRecords.known(after);
        boolean wasKnown = HealthRecords.known(before);
        if (known) {
            HealthStatus shown = wasKnown ? before.getStatus() : HealthStatus.UNKNOWN;
            if (verdict.status() != shown) {
                emit(serverId, HealthEvents.statusChanged(after, shown, cause, at), at);
            }
            int level = statusRules.capacityLevel(after.getUtilization());
            if (level != (wasKnown ? statusRules.capacityLevel(before.getUtilization()) : 0)) {
                emit(serverId, HealthEvents.capacity(after, level, cause, at), at);
            }
            boolean heartbeat = wasKnown && heartbeatDue(before.getUpdatedAt().toEpochMilli(), at);
            if (!wasKnown || configChanged || heartbeat || HealthRecords.changedForReaders(before, after)) {
                after.setUpdatedAt(at);
                context.forward(new Record<>(serverId, new HealthOutput.Health(after), at.toEpochMilli()));
            }
        }
        health.put(serverId, after);
        members(serverId, before, after, at);
    }

    private void members(String serverId, ServerHealth before, ServerHealth after, Instant at) {
        for (PoolStanding.Change change : PoolStanding.changes(before, after)) {
            context.forward(new Record<>(
                    change.pool(), new HealthOutput.Member(serverId, change.standing()), at.toEpochMilli()));
        }
    }

    private void emit(String key, ServerEvent event, Instant at) {
        context.forward(new Record<>(key, new HealthOutput.Event(event), at.toEpochMilli()));
    }

    /** Marks UNKNOWN every up or down server whose last check is older than {@code staleIntervals} intervals. */
    private void markStale(long now) {
        Instant at = Instant.ofEpochMilli(now);
        for (String serverId : health.stale(now, rules.staleIntervals())) {
            ServerHealth before = health.get(serverId);
            long silent = now - before.getLastCheckAt().toEpochMilli();
            ServerHealth after = HealthRecords.copy(before);
            HealthRecords.resetCounters(after);
            after.setStatus(HealthStatus.UNKNOWN);
            after.setReason(
                    "no health check for %d s (%d check intervals)".formatted(silent / 1000, rules.staleIntervals()));
            if (HealthRecords.known(after)) {
                emit(serverId, HealthEvents.stale(after, silent, at), at);
            }
            settle(serverId, before, after, configStore.get(serverId), "stale-" + before.getLastCheckAt(), false, at);
        }
    }

    /** Supplies a fresh processor per task. */
    static org.apache.kafka.streams.processor.api.ProcessorSupplier<String, HealthInput, String, HealthOutput> supplier(
            HealthRules rules, List<Duration> windowSizes) {
        return () -> new HealthProcessor(rules, windowSizes);
    }
}
