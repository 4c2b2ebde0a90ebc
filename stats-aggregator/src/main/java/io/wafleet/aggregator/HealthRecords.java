package io.wafleet.aggregator;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import java.time.Instant;
import java.util.Objects;

/** Building and comparing ServerHealth records: from a config, from a check, and what of them readers care about. */
final class HealthRecords {

    private HealthRecords() {}

    /**
     * The state of a server known only from its checks: never published (its environment is empty, so it is in no
     * pool and {@link #known} is false) until its config arrives and fills the rest in.
     */
    static ServerHealth placeholder(String serverId, Instant at) {
        return ServerHealth.newBuilder()
                .setServerId(serverId)
                .setName(serverId)
                .setStatus(HealthStatus.UNKNOWN)
                .setReason("never checked")
                .setStatusSince(at)
                .setUpdatedAt(at)
                .setBaseUrl("")
                .setEnvironment("")
                .setCapacity(0)
                .build();
    }

    static boolean known(ServerHealth health) {
        return health != null && !health.getEnvironment().isEmpty();
    }

    static ServerHealth copy(ServerHealth health) {
        return ServerHealth.newBuilder(health).build();
    }

    static void resetCounters(ServerHealth health) {
        health.setConsecutiveSuccesses(0);
        health.setConsecutiveFailures(0);
    }

    static void applyConfig(ServerHealth health, ServerConfig config) {
        health.setName(config.getName());
        health.setBaseUrl("%s://%s:%d%s"
                .formatted(
                        config.getProtocol().name().toLowerCase(java.util.Locale.ROOT),
                        config.getHostname(),
                        config.getPort(),
                        config.getBasePath()));
        health.setDialect(config.getDialect());
        health.setEnvironment(config.getEnvironment());
        health.setLocation(config.getLocation());
        health.setTags(config.getTags());
        health.setIsEnabled(config.getIsEnabled());
        health.setPriority(config.getPriority());
        health.setWeight(config.getWeight());
        health.setHealthCheckInterval(config.getHealthCheckInterval());
        applyCapacity(health, config);
    }

    /**
     * maxInstances x maxUsersPerInstance, except on a server that reports itself WAHA Core: that hosts exactly one
     * account, its session {@code default} (devlikeapro/waha 2024.10.8 {@code SessionManagerCore.onlyDefault()}),
     * whatever its config says. Selection, the capacity view and the alerts all read this one number.
     */
    static void applyCapacity(ServerHealth health, ServerConfig config) {
        boolean wahaCore = config.getDialect() == Dialect.WAHA && "CORE".equals(health.getTier());
        health.setCapacity(wahaCore ? 1 : Math.max(0, config.getMaxInstances() * config.getMaxUsersPerInstance()));
        health.setUtilization(utilization(health.getConnectedAccounts(), health.getCapacity()));
    }

    /** Counts the check (passed or failed) and takes what its health body says: status, version, accounts. */
    static void applyCheck(ServerHealth health, HealthCheck check, boolean passed) {
        if (passed) {
            health.setConsecutiveSuccesses(health.getConsecutiveSuccesses() + 1);
            health.setConsecutiveFailures(0);
            health.setLastSuccessAt(check.getCheckedAt());
        } else {
            health.setConsecutiveFailures(health.getConsecutiveFailures() + 1);
            health.setConsecutiveSuccesses(0);
            health.setLastFailureAt(check.getCheckedAt());
        }
        health.setLastErrorKind(check.getErrorKind());
        health.setLastCheckAt(check.getCheckedAt());
        health.setLastLatencyMicros(check.getLatencyMicros());
        HealthReport report = check.getReport();
        health.setReportedStatus(report == null ? null : report.getStatus());
        if (report != null && report.getVersion() != null) {
            health.setVersion(report.getVersion());
        }
        if (report != null && report.getTier() != null) {
            health.setTier(report.getTier());
        }
        if (report != null && report.getAccounts() != null) {
            health.setConnectedAccounts(report.getAccounts().getConnected());
            health.setConnectingAccounts(report.getAccounts().getConnecting());
            health.setUtilization(utilization(health.getConnectedAccounts(), health.getCapacity()));
        }
    }

    /** Connected over capacity, at most 1: an over-full server shows its overload in {@code connectedAccounts}. */
    static double utilization(int connected, int capacity) {
        return capacity <= 0 ? 0 : Math.min(1.0, (double) connected / capacity);
    }

    /**
     * Whether readers of the health table would see a difference besides the latest check's time and latency. The
     * counters matter only where they can change the status: failures while up, successes while not up.
     */
    static boolean changedForReaders(ServerHealth before, ServerHealth after) {
        boolean up = after.getStatus() == HealthStatus.HEALTHY || after.getStatus() == HealthStatus.DEGRADED;
        return before.getStatus() != after.getStatus()
                || !Objects.equals(before.getReason(), after.getReason())
                || (up
                        ? before.getConsecutiveFailures() != after.getConsecutiveFailures()
                        : before.getConsecutiveSuccesses() != after.getConsecutiveSuccesses())
                || before.getLastErrorKind() != after.getLastErrorKind()
                || before.getConnectedAccounts() != after.getConnectedAccounts()
                || before.getConnectingAccounts() != after.getConnectingAccounts()
                || !Objects.equals(before.getReportedStatus(), after.getReportedStatus())
                || !Objects.equals(before.getVersion(), after.getVersion())
                || !Objects.equals(before.getTier(), after.getTier())
                || before.getCapacity() != after.getCapacity()
                || !Objects.equals(before.getStats(), after.getStats())
                || !Objects.equals(before.getMetrics1m(), after.getMetrics1m())
                || !Objects.equals(before.getMetrics5m(), after.getMetrics5m());
    }
}
