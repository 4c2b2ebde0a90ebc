package io.wafleet.aggregator;

import java.time.Duration;

/**
 * The rules of the health state machine and its alerts.
 *
 * @param rise consecutive successful checks that bring a server up (default 2, as HAProxy); a config's own wins
 * @param fall consecutive failed checks that take it down (default 3); a config's own wins
 * @param staleIntervals a server with no check for this many of its check intervals becomes UNKNOWN (default 3)
 * @param staleCheckPeriod how often the wall clock is compared with every server's last check (default 5 s)
 * @param p99Threshold a server whose latest 1-minute P99 is above this is DEGRADED (default 1 s)
 * @param errorRateThreshold a server whose latest 1-minute error rate is above this (0..1) is DEGRADED (default 0.1)
 * @param capacityWarning utilization (0..1) that raises a warning (default 0.8)
 * @param capacityCritical utilization that raises a critical event (default 0.95)
 * @param panicThreshold a pool with fewer than this share of its servers HEALTHY is in panic (default 0.5)
 * @param heartbeat a server's health record is republished at least this often while checks arrive, so its
 *     {@code lastCheckAt} stays current for readers even when nothing else changes (default 30 s)
 */
public record HealthRules(
        int rise,
        int fall,
        int staleIntervals,
        Duration staleCheckPeriod,
        Duration p99Threshold,
        double errorRateThreshold,
        double capacityWarning,
        double capacityCritical,
        double panicThreshold,
        Duration heartbeat) {

    public HealthRules {
        rise = rise <= 0 ? 2 : rise;
        fall = fall <= 0 ? 3 : fall;
        staleIntervals = staleIntervals <= 0 ? 3 : staleIntervals;
        staleCheckPeriod = staleCheckPeriod == null ? Duration.ofSeconds(5) : staleCheckPeriod;
        p99Threshold = p99Threshold == null ? Duration.ofSeconds(1) : p99Threshold;
        errorRateThreshold = errorRateThreshold <= 0 ? 0.1 : errorRateThreshold;
        capacityWarning = capacityWarning <= 0 ? 0.8 : capacityWarning;
        capacityCritical = capacityCritical <= 0 ? 0.95 : capacityCritical;
        panicThreshold = panicThreshold <= 0 ? 0.5 : panicThreshold;
        heartbeat = heartbeat == null ? Duration.ofSeconds(30) : heartbeat;
    }

    public static HealthRules defaults() {
        return new HealthRules(0, 0, 0, null, null, 0, 0, 0, 0, null);
    }
}
