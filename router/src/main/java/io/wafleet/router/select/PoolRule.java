package io.wafleet.router.select;

import io.wafleet.avro.LbAlgorithm;

/**
 * How a pool balances: the seed's {@code loadBalancing} section, per pool from {@code server_lb_rules}.
 *
 * @param algorithm how a server is picked among the candidates of a tier
 * @param healthCheckRequired only HEALTHY servers are candidates; when false, DEGRADED and UNKNOWN ones are too
 * @param failoverEnabled when the best tier has no candidate, the next tier is tried; when false, no server
 * @param panicThreshold below this share of HEALTHY servers the pool is in panic and widens to DEGRADED and UNKNOWN
 */
public record PoolRule(
        LbAlgorithm algorithm, boolean healthCheckRequired, boolean failoverEnabled, double panicThreshold) {

    public static final PoolRule DEFAULT = new PoolRule(LbAlgorithm.WEIGHTED_ROUND_ROBIN, true, true, 0.5);
}
