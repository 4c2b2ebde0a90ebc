package io.wafleet.aggregator;

import io.wafleet.avro.EventLevel;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ServerEvents the aggregator raises. Event ids are derived from the server or pool, the type and what caused the
 * event, so a replay raises the same ids and consumers stay idempotent.
 */
final class HealthEvents {

    static final String SOURCE = "stats-aggregator";

    private HealthEvents() {}

    static ServerEvent statusChanged(ServerHealth health, HealthStatus from, String cause, Instant at) {
        HealthStatus to = health.getStatus();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", from == null ? "" : from.name());
        details.put("to", to.name());
        details.put("reason", String.valueOf(health.getReason()));
        return server(
                health,
                "STATUS_CHANGED",
                levelOf(to),
                "%s is %s (was %s): %s".formatted(health.getName(), to, from, health.getReason()),
                details,
                cause,
                at);
    }

    static ServerEvent stale(ServerHealth health, long silentMillis, Instant at) {
        return server(
                health,
                "SERVER_STALE",
                EventLevel.WARNING,
                "%s: no health check for %d s".formatted(health.getName(), silentMillis / 1000),
                Map.of("lastCheckAt", String.valueOf(health.getLastCheckAt())),
                String.valueOf(health.getLastCheckAt()),
                at);
    }

    static ServerEvent capacity(ServerHealth health, int level, String cause, Instant at) {
        String type = level == 2 ? "CAPACITY_CRITICAL" : level == 1 ? "CAPACITY_WARNING" : "CAPACITY_NORMAL";
        EventLevel eventLevel = level == 2 ? EventLevel.CRITICAL : level == 1 ? EventLevel.WARNING : EventLevel.INFO;
        return server(
                health,
                type,
                eventLevel,
                "%s at %.0f %% of capacity (%d of %d accounts)"
                        .formatted(
                                health.getName(),
                                100 * health.getUtilization(),
                                health.getConnectedAccounts(),
                                health.getCapacity()),
                Map.of(
                        "utilization", Double.toString(health.getUtilization()),
                        "connectedAccounts", Integer.toString(health.getConnectedAccounts()),
                        "capacity", Integer.toString(health.getCapacity())),
                cause,
                at);
    }

    static ServerEvent errorRate(ServerHealth health, ServerMetrics window, boolean high, double threshold) {
        return server(
                health,
                high ? "ERROR_RATE_HIGH" : "ERROR_RATE_NORMAL",
                high ? EventLevel.ERROR : EventLevel.INFO,
                "%s error rate %.1f %% in the %d s window from %s (threshold %.1f %%)"
                        .formatted(
                                health.getName(),
                                100 * window.getErrorRate(),
                                window.getWindowSizeSeconds(),
                                window.getWindowStart(),
                                100 * threshold),
                Map.of(
                        "errorRate", Double.toString(window.getErrorRate()),
                        "failures", Long.toString(window.getFailures()),
                        "count", Long.toString(window.getCount())),
                window.getEventId(),
                window.getWindowEnd());
    }

    static ServerEvent p99(ServerHealth health, ServerMetrics window, boolean high, long thresholdMillis) {
        return server(
                health,
                high ? "P99_HIGH" : "P99_NORMAL",
                high ? EventLevel.WARNING : EventLevel.INFO,
                "%s P99 %s ms in the %d s window from %s (threshold %d ms)"
                        .formatted(
                                health.getName(),
                                window.getP99Micros() == null ? "-" : "%.1f".formatted(window.getP99Micros() / 1000),
                                window.getWindowSizeSeconds(),
                                window.getWindowStart(),
                                thresholdMillis),
                Map.of("p99Micros", String.valueOf(window.getP99Micros())),
                window.getEventId(),
                window.getWindowEnd());
    }

    static ServerEvent unknownServer(String serverId, String checkEventId, Instant at) {
        return build(
                serverId,
                null,
                "UNKNOWN_SERVER_CHECK",
                EventLevel.WARNING,
                "health check for server %s, which has no config; counted and kept until a config arrives"
                        .formatted(serverId),
                Map.of(),
                checkEventId,
                at);
    }

    static ServerEvent removed(ServerHealth health, Instant at) {
        return server(
                health,
                "SERVER_REMOVED",
                EventLevel.INFO,
                "%s removed from the health table: its config was deleted".formatted(health.getName()),
                Map.of("lastStatus", health.getStatus().name()),
                at.toString(),
                at);
    }

    static ServerEvent panic(
            String pool, boolean panic, int healthy, int counted, double threshold, long number, Instant at) {
        return build(
                null,
                pool,
                panic ? "POOL_PANIC" : "POOL_PANIC_OVER",
                panic ? EventLevel.CRITICAL : EventLevel.INFO,
                panic
                        ? "pool %s in panic: %d of %d servers healthy, under %.0f %%; routing widens to degraded and unknown servers"
                                .formatted(pool, healthy, counted, 100 * threshold)
                        : "pool %s out of panic: %d of %d servers healthy".formatted(pool, healthy, counted),
                Map.of("healthy", Integer.toString(healthy), "servers", Integer.toString(counted)),
                Long.toString(number),
                at);
    }

    private static EventLevel levelOf(HealthStatus status) {
        return switch (status) {
            case UNHEALTHY -> EventLevel.ERROR;
            case DEGRADED, UNKNOWN -> EventLevel.WARNING;
            default -> EventLevel.INFO;
        };
    }

    private static ServerEvent server(
            ServerHealth health,
            String type,
            EventLevel level,
            String message,
            Map<String, String> details,
            String cause,
            Instant at) {
        return build(health.getServerId(), null, type, level, message, details, cause, at);
    }

    private static ServerEvent build(
            String serverId,
            String poolId,
            String type,
            EventLevel level,
            String message,
            Map<String, String> details,
            String cause,
            Instant at) {
        String identity = (serverId == null ? "pool:" + poolId : serverId) + "|" + type + "|" + cause;
        return ServerEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setServerId(serverId)
                .setPoolId(poolId)
                .setLevel(level)
                .setType(type)
                .setMessage(message)
                .setDetails(new LinkedHashMap<>(details))
                .setOccurredAt(at)
                .setSource(SOURCE)
                .build();
    }
}
