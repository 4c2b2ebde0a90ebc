package io.wafleet.router.select;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.LbAlgorithm;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Server selection as ARCHITECTURE.md defines it: a sticky account stays on its server while that server is not
 * UNHEALTHY or gone; otherwise the request's pool, filtered by status, tags and free capacity (accounts assigned but
 * not reported count), the best priority tier with a candidate (the next tier only with failover), and the pool's
 * algorithm within the tier. A pool in panic widens to DEGRADED and UNKNOWN servers. A server this router has
 * ejected on its own calls' failures ({@link Outliers}) is no candidate, but in a pool in panic; a sticky account stays
 * on an ejected server (its session is there: only the health table moves it).
 */
public final class Selector {

    private final Map<String, Balancer> balancers = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public Selector() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock ejections are read against ({@link System#nanoTime}) */
    public Selector(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Where accounts already are; the account registry answers it. */
    @FunctionalInterface
    public interface Assignments {
        Assignments NONE = accountId -> null;

        String serverOf(String accountId);
    }

    /**
     * The server the request's account stays on: the one it is assigned to, while that server is in the table, not
     * UNHEALTHY and not excluded; null when the account has none (or no account is given).
     */
    public static ServerView stickyServer(Fleet fleet, SelectionRequest request, Assignments assignments) {
        if (request.accountId() == null) {
            return null;
        }
        String assigned = assignments.serverOf(request.accountId());
        ServerView current = assigned == null ? null : fleet.server(assigned);
        return current != null
                        && current.status() != HealthStatus.UNHEALTHY
                        && !request.excluded().contains(current.id())
                ? current
                : null;
    }

    public Selection select(
            Fleet fleet, PoolRules rules, SelectionRequest request, Assignments assignments, Load load) {
        ServerView current = stickyServer(fleet, request, assignments);
        if (current != null) {
            return new Selection.Chosen(current, current.freeCapacity(load), null, false, true);
        }
        Pool pool = fleet.pool(request.environment(), request.location());
        PoolRule rule = rules.rule(request.environment(), request.location());
        boolean panic = pool.inPanic(rule.panicThreshold());
        boolean widened = panic || !rule.healthCheckRequired();
        LbAlgorithm algorithm = request.algorithm() != null ? request.algorithm() : rule.algorithm();
        long now = nanoTime.getAsLong();
        Predicate<ServerView> fits = server -> (server.status() == HealthStatus.HEALTHY || widened)
                && (panic || !server.ejected(now))
                && server.freeCapacity(load) >= request.minCapacity()
                && server.hasTags(request.tags())
                && (request.excluded().isEmpty() || !request.excluded().contains(server.id()));
        for (Pool.Tier tier : pool.tiers()) {
            Balancer balancer = balancers.computeIfAbsent(tier.id() + "|" + algorithm, k -> Balancer.of(algorithm));
            ServerView chosen = balancer.pick(tier.servers(), fits, load);
            if (chosen != null) {
                return new Selection.Chosen(chosen, chosen.freeCapacity(load), algorithm, panic, false);
            }
            if (!rule.failoverEnabled()) {
                break;
            }
        }
        return new Selection.NoServer(NoServerReason.of(pool, request, widened, rule, load, panic ? null : now));
    }
}
