package io.wafleet.router.select;

import io.wafleet.avro.HealthStatus;

/** Says why no server qualified, counting where the pool's servers fell out; computed only when none did. */
final class NoServerReason {

    private NoServerReason() {}

    /** @param ejectedAt the time ejections are read at, or null in panic (ejections do not count) */
    static String of(Pool pool, SelectionRequest request, boolean widened, PoolRule rule, Load load, Long ejectedAt) {
        String where = describe(request);
        if (pool.tiers().isEmpty()) {
            return pool.counted() == 0
                    ? "no server can take accounts in " + where
                    : "no server in " + where + " is up: " + pool.counted()
                            + " known, none healthy, degraded or unknown";
        }
        int notHealthy = 0;
        int full = 0;
        int untagged = 0;
        int excluded = 0;
        int ejected = 0;
        int total = 0;
        for (Pool.Tier tier : pool.tiers()) {
            if (!rule.failoverEnabled() && tier != pool.tiers().get(0)) {
                break;
            }
            for (ServerView server : tier.servers()) {
                total++;
                if (request.excluded().contains(server.id())) {
                    excluded++;
                } else if (!widened && server.status() != HealthStatus.HEALTHY) {
                    notHealthy++;
                } else if (!server.hasTags(request.tags())) {
                    untagged++;
                } else if (ejectedAt != null && server.ejected(ejectedAt)) {
                    ejected++;
                } else {
                    full++;
                }
            }
        }
        return "no server in %s qualifies: of %d candidate server(s), %d not healthy, %d without tags %s, %d with fewer than %d free accounts%s%s%s"
                .formatted(
                        where,
                        total,
                        notHealthy,
                        untagged,
                        request.tags(),
                        full,
                        request.minCapacity(),
                        rule.failoverEnabled() ? "" : " (failover disabled: only the first priority tier)",
                        excluded == 0 ? "" : ", " + excluded + " already tried or excluded",
                        ejected == 0 ? "" : ", " + ejected + " ejected by this router after failed calls");
    }

    private static String describe(SelectionRequest request) {
        if (request.environment() == null) {
            return request.location() == null ? "the fleet" : "location " + request.location();
        }
        return request.location() == null
                ? "environment " + request.environment()
                : "environment " + request.environment() + ", location " + request.location();
    }
}
