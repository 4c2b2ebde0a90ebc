package io.wafleet.router.select;

import io.wafleet.avro.LbRule;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The pools' rules ({@code server_lb_rules}): the most specific enabled rule wins, environment and location, then
 * the environment's, then the catch-all, then the configured default. Immutable; replaced as a whole.
 */
public final class PoolRules {

    private final Map<String, PoolRule> rules;
    private final PoolRule fallback;

    private PoolRules(Map<String, PoolRule> rules, PoolRule fallback) {
        this.rules = rules;
        this.fallback = fallback;
    }

    public static PoolRules of(Collection<LbRule> rows, PoolRule fallback) {
        Map<String, PoolRule> rules = new HashMap<>();
        for (LbRule row : rows) {
            if (row.getIsEnabled()) {
                rules.put(
                        key(row.getEnvironment(), row.getLocation()),
                        new PoolRule(
                                row.getAlgorithm(),
                                row.getHealthCheckRequired(),
                                row.getFailoverEnabled(),
                                row.getPanicThreshold()));
            }
        }
        return new PoolRules(Map.copyOf(rules), fallback);
    }

    public static PoolRules only(PoolRule fallback) {
        return new PoolRules(Map.of(), fallback);
    }

    public PoolRule rule(String environment, String location) {
        PoolRule rule = rules.get(key(environment, location));
        if (rule == null && location != null) {
            rule = rules.get(key(environment, null));
        }
        if (rule == null && environment != null) {
            rule = rules.get(key(null, null));
        }
        return rule == null ? fallback : rule;
    }

    private static String key(String environment, String location) {
        return (environment == null ? "" : environment) + "\u0000" + (location == null ? "" : location);
    }
}
