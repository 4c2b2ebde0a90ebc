package io.wafleet.router.select;

import io.wafleet.avro.HealthStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The servers of one pool (everything, an environment, or an environment and location) that can take accounts at
 * all ({@link #routable}), in priority tiers, lowest number first, each tier in name
 * order; and the pool's health counts for its panic threshold.
 */
public final class Pool {

    static final Comparator<ServerView> TIER_ORDER =
            Comparator.comparing(ServerView::name).thenComparing(ServerView::id);

    private final String key;
    private final List<Tier> tiers;
    private final int counted;
    private final int healthy;

    private Pool(String key, List<Tier> tiers, int counted, int healthy) {
        this.key = key;
        this.tiers = tiers;
        this.counted = counted;
        this.healthy = healthy;
    }

    static Pool of(String key, List<ServerView> servers) {
        Map<Integer, List<ServerView>> byPriority = new TreeMap<>();
        int counted = 0;
        int healthy = 0;
        for (ServerView server : servers) {
            if (countsForPanic(server)) {
                counted++;
                healthy += server.status() == HealthStatus.HEALTHY ? 1 : 0;
            }
            if (routable(server)) {
                byPriority
                        .computeIfAbsent(server.priority(), p -> new ArrayList<>())
                        .add(server);
            }
        }
        List<Tier> tiers = new ArrayList<>();
        byPriority.forEach((priority, members) -> {
            members.sort(TIER_ORDER);
            tiers.add(new Tier(key + "#" + priority, priority, members.toArray(ServerView[]::new)));
        });
        return new Pool(key, List.copyOf(tiers), counted, healthy);
    }

    /**
     * Could ever take an account: enabled, weight above 0 (as in HAProxy, weight 0 takes no new accounts under any
     * algorithm), and neither disabled, draining nor unhealthy.
     */
    static boolean routable(ServerView server) {
        return server.enabled()
                && server.weight() > 0
                && (server.status() == HealthStatus.HEALTHY
                        || server.status() == HealthStatus.DEGRADED
                        || server.status() == HealthStatus.UNKNOWN);
    }

    /** Counts in the panic share: meant to take accounts and checked at least once. */
    private static boolean countsForPanic(ServerView server) {
        return server.enabled()
                && server.status() != HealthStatus.DISABLED
                && server.status() != HealthStatus.DRAINING
                && server.checked();
    }

    public String key() {
        return key;
    }

    public List<Tier> tiers() {
        return tiers;
    }

    public int counted() {
        return counted;
    }

    public int healthy() {
        return healthy;
    }

    /** Fewer than {@code threshold} of the counted servers are HEALTHY. */
    public boolean inPanic(double threshold) {
        return counted > 0 && healthy < threshold * counted;
    }

    /** One priority tier: its balancer state is keyed by {@code id}. */
    public record Tier(String id, int priority, ServerView[] servers) {}
}
