package io.wafleet.router.select;

import java.time.Duration;

/**
 * When a router ejects a server from its own selection on the failures of its own calls, as Envoy's outlier detection
 * does ({@code consecutive_5xx}, {@code base_ejection_time}, {@code max_ejection_time}, {@code max_ejection_percent}).
 *
 * @param enabled false: no server is ever ejected
 * @param consecutiveFailures failed calls in a row (no success between) that eject a server (3)
 * @param baseEjectionTime how long the first ejection lasts; the n-th lasts n times as long (30 s)
 * @param maxEjectionTime the longest an ejection lasts (5 min)
 * @param maxEjectedShare the most of a pool that may be ejected at once (0.1); one server of a pool of two or more may
 *     always be, the last one that is not never is
 */
public record OutlierRules(
        boolean enabled,
        int consecutiveFailures,
        Duration baseEjectionTime,
        Duration maxEjectionTime,
        double maxEjectedShare) {

    public static final OutlierRules DEFAULT =
            new OutlierRules(true, 3, Duration.ofSeconds(30), Duration.ofMinutes(5), 0.1);

    public OutlierRules {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1, was " + consecutiveFailures);
        }
        if (baseEjectionTime.isNegative() || baseEjectionTime.isZero()) {
            throw new IllegalArgumentException("baseEjectionTime must be positive, was " + baseEjectionTime);
        }
        if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("maxEjectionTime must not be below baseEjectionTime");
        }
        if (!(maxEjectedShare >= 0 && maxEjectedShare <= 1)) {
            throw new IllegalArgumentException("maxEjectedShare must be within 0..1, was " + maxEjectedShare);
        }
    }
}
