package io.wafleet.router;

import io.wafleet.avro.LbAlgorithm;
import io.wafleet.router.select.PoolRule;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The router's settings ({@code wafleet.router.*}).
 *
 * @param loadBalancing the default pool rule, the seed's {@code loadBalancing} section: for pools without a row in
 *     {@code server_lb_rules}
 */
@ConfigurationProperties("wafleet.router")
public record RouterProperties(LoadBalancing loadBalancing) {

    public RouterProperties {
        loadBalancing = loadBalancing == null ? new LoadBalancing(null, null, null, 0) : loadBalancing;
    }

    /**
     * @param algorithm default {@code weighted_round_robin}, as the seed's example
     * @param healthCheckRequired default true
     * @param failoverEnabled default true
     * @param panicThreshold default 0.5
     */
    public record LoadBalancing(
            LbAlgorithm algorithm, Boolean healthCheckRequired, Boolean failoverEnabled, double panicThreshold) {

        public PoolRule rule() {
            return new PoolRule(
                    algorithm == null ? PoolRule.DEFAULT.algorithm() : algorithm,
                    healthCheckRequired == null || healthCheckRequired,
                    failoverEnabled == null || failoverEnabled,
                    panicThreshold <= 0 ? PoolRule.DEFAULT.panicThreshold() : panicThreshold);
        }
    }
}
