package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import java.util.Locale;

/**
 * The status of a server from its check counters, its config and its latest figures: HAProxy-style rise/fall
 * hysteresis for up and down, DEGRADED for an up server that says it is degraded or breaches a threshold, and the
 * administrative DISABLED and DRAINING over everything.
 */
final class StatusRules {

    private final HealthRules rules;

    StatusRules(HealthRules rules) {
        this.rules = rules;
    }

    record Verdict(HealthStatus status, String reason) {}

    int rise(ServerConfig config) {
        return config != null && config.getRise() != null ? config.getRise() : rules.rise();
    }

    int fall(ServerConfig config) {
        return config != null && config.getFall() != null ? config.getFall() : rules.fall();
    }

    /** The verdict for {@code health}, whose counters are already updated; its status is the previous one. */
    Verdict decide(ServerHealth health, ServerConfig config) {
        if (config != null && !config.getIsEnabled()) {
            return new Verdict(HealthStatus.DISABLED, "disabled in its config");
        }
        if (config != null && config.getDraining()) {
            return new Verdict(HealthStatus.DRAINING, "draining: its accounts are being moved off");
        }
        int failures = health.getConsecutiveFailures();
        int successes = health.getConsecutiveSuccesses();
        HealthStatus previous = health.getStatus();
        boolean wasUp = previous == HealthStatus.HEALTHY || previous == HealthStatus.DEGRADED;
        boolean down = failures >= fall(config) || (previous == HealthStatus.UNHEALTHY && successes < rise(config));
        if (down) {
            return new Verdict(
                    HealthStatus.UNHEALTHY,
                    previous == HealthStatus.UNHEALTHY
                            ? health.getReason()
                            : failures + " consecutive failed checks, last " + lastError(health));
        }
        if (successes >= rise(config) || wasUp) {
            String degraded = degradedReason(health);
            if (degraded != null) {
                return new Verdict(HealthStatus.DEGRADED, degraded);
            }
            return new Verdict(
                    HealthStatus.HEALTHY,
                    wasUp && previous == HealthStatus.HEALTHY
                            ? health.getReason()
                            : successes + " consecutive successful checks");
        }
        return new Verdict(
                HealthStatus.UNKNOWN,
                previous == HealthStatus.UNKNOWN
                        ? health.getReason()
                        : "waiting for " + rise(config) + " consecutive successful checks");
    }

    /** Why an up server is degraded, or null when it is not. */
    String degradedReason(ServerHealth health) {
        String reported = health.getReportedStatus();
        if (reported != null && reported.toLowerCase(Locale.ROOT).equals("degraded")) {
            return "the server reports degraded";
        }
        ServerMetrics window = health.getMetrics1m();
        if (window != null && p99Breached(window)) {
            return "P99 %.0f ms over %d ms in the last %d s window"
                    .formatted(
                            window.getP99Micros() / 1000,
                            rules.p99Threshold().toMillis(),
                            window.getWindowSizeSeconds());
        }
        if (window != null && errorRateBreached(window) && stillFailing(health)) {
            return "error rate %.1f %% over %.1f %% in the last %d s window"
                    .formatted(
                            100 * window.getErrorRate(),
                            100 * rules.errorRateThreshold(),
                            window.getWindowSizeSeconds());
        }
        return null;
    }

    /**
     * Whether the failures that a closed window counted go on. A server that went down and is back up without a
     * failure since has recovered: its outage was its UNHEALTHY spell, and the window that counted it must not keep
     * it out of rotation (measured: more than a minute after recovery). A server that fails now and then while up
     * stays degraded for its window, so it does not flap at every check.
     */
    private static boolean stillFailing(ServerHealth health) {
        // health's status is the one before this verdict: UNHEALTHY means it is coming up now, after rise successes.
        HealthStatus status = health.getStatus();
        if (status == HealthStatus.UNHEALTHY) {
            return false;
        }
        boolean upAfterDown = (status == HealthStatus.HEALTHY || status == HealthStatus.DEGRADED)
                && health.getPreviousStatus() == HealthStatus.UNHEALTHY;
        boolean failedSinceUp =
                health.getLastFailureAt() != null && !health.getLastFailureAt().isBefore(health.getStatusSince());
        return !upAfterDown || failedSinceUp;
    }

    boolean p99Breached(ServerMetrics window) {
        return window != null
                && window.getP99Micros() != null
                && window.getP99Micros() > rules.p99Threshold().toNanos() / 1000.0;
    }

    boolean errorRateBreached(ServerMetrics window) {
        return window != null && window.getCount() > 0 && window.getErrorRate() > rules.errorRateThreshold();
    }

    /** 0 under the warning threshold, 1 from warning, 2 from critical. */
    int capacityLevel(double utilization) {
        return utilization >= rules.capacityCritical() ? 2 : utilization >= rules.capacityWarning() ? 1 : 0;
    }

    /** A successful check whose body says the server is unhealthy counts as a failure. */
    static boolean passed(HealthCheck check) {
        return check.getSuccess()
                && (check.getReport() == null
                        || !check.getReport()
                                .getStatus()
                                .toLowerCase(Locale.ROOT)
                                .equals("unhealthy"));
    }

    private static String lastError(ServerHealth health) {
        return health.getLastErrorKind() == null
                ? "reported unhealthy"
                : health.getLastErrorKind().name();
    }
}
