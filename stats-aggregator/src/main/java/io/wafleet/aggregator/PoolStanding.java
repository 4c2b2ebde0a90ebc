package io.wafleet.aggregator;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's pools and its standing in them for the panic count. Pools are its environment and its environment plus
 * location ({@code production}, {@code production/eu-west}). A server counts in a pool while it is meant to take
 * accounts and has had a verdict: disabled and draining servers do not count, nor do servers still UNKNOWN because
 * they were never up or down yet (so a fresh fleet does not start in panic); a server UNKNOWN because it went stale
 * counts as not healthy.
 */
final class PoolStanding {

    static final String HEALTHY = "H";
    static final String NOT_HEALTHY = "N";

    private PoolStanding() {}

    /** The pools of a server; none while its config is unknown (the placeholder's environment is empty). */
    static List<String> pools(ServerHealth health) {
        if (health == null || health.getEnvironment().isEmpty()) {
            return List.of();
        }
        List<String> pools = new ArrayList<>(2);
        pools.add(health.getEnvironment());
        if (health.getLocation() != null && !health.getLocation().isEmpty()) {
            pools.add(poolId(health.getEnvironment(), health.getLocation()));
        }
        return pools;
    }

    static String poolId(String environment, String location) {
        return location == null || location.isEmpty() ? environment : environment + "/" + location;
    }

    /** HEALTHY, NOT_HEALTHY, or null when the server does not count. */
    static String standing(ServerHealth health) {
        if (health == null || health.getLastCheckAt() == null) {
            return null;
        }
        HealthStatus status = health.getStatus();
        if (status == HealthStatus.DISABLED || status == HealthStatus.DRAINING) {
            return null;
        }
        if (status == HealthStatus.UNKNOWN && !hadVerdict(health.getPreviousStatus())) {
            return null;
        }
        return status == HealthStatus.HEALTHY ? HEALTHY : NOT_HEALTHY;
    }

    private static boolean hadVerdict(HealthStatus status) {
        return status == HealthStatus.HEALTHY || status == HealthStatus.DEGRADED || status == HealthStatus.UNHEALTHY;
    }

    /** The standing changes between two versions of a server, one per pool whose standing differs. */
    static List<Change> changes(ServerHealth before, ServerHealth after) {
        List<String> oldPools = pools(before);
        List<String> newPools = pools(after);
        String oldStanding = standing(before);
        String newStanding = standing(after);
        List<Change> changes = new ArrayList<>(2);
        for (String pool : oldPools) {
            String now = newPools.contains(pool) ? newStanding : null;
            if (oldStanding != null && !oldStanding.equals(now)) {
                changes.add(new Change(pool, now));
            }
        }
        for (String pool : newPools) {
            String was = oldPools.contains(pool) ? oldStanding : null;
            if (newStanding != null && !newStanding.equals(was)) {
                changes.add(new Change(pool, newStanding));
            }
        }
        return changes;
    }

    record Change(String pool, String standing) {}
}
