package io.wafleet.router.select;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import java.util.List;
import java.util.Set;

/**
 * What selection needs of one server, taken from its ServerHealth: immutable (but for the counters of its load
 * cell), so a fleet snapshot can be read by any number of request threads without locks.
 */
public record ServerView(
        String id,
        String name,
        String baseUrl,
        HealthStatus status,
        String environment,
        String location,
        Set<String> tags,
        boolean enabled,
        int priority,
        int weight,
        int capacity,
        int connected,
        boolean checked,
        ServerLoads.Cell loadCell) {

    public ServerView {
        tags = Set.copyOf(tags);
        location = location == null ? "" : location;
    }

    public static ServerView of(ServerHealth health) {
        return new ServerView(
                health.getServerId(),
                health.getName(),
                health.getBaseUrl(),
                health.getStatus(),
                health.getEnvironment(),
                health.getLocation(),
                Set.copyOf(health.getTags()),
                health.getIsEnabled(),
                health.getPriority(),
                health.getWeight(),
                health.getCapacity(),
                health.getConnectedAccounts(),
                health.getLastCheckAt() != null,
                null);
    }

    /** This view with its server's load counters, resolved once (when a fleet snapshot is built). */
    ServerView withLoadCell(ServerLoads.Cell cell) {
        return new ServerView(
                id,
                name,
                baseUrl,
                status,
                environment,
                location,
                tags,
                enabled,
                priority,
                weight,
                capacity,
                connected,
                checked,
                cell);
    }

    /**
     * Accounts on it: those it reports plus those assigned to it and not yet reported (from its resolved counters
     * when it has them, which are {@code pending}'s own: see {@link ServerLoads}).
     */
    public int load(Load pending) {
        return connected + (loadCell != null ? loadCell.pending() : pending.pending(id));
    }

    /** Whether this router has ejected the server from its selection at {@code nanoTime} ({@link Outliers}). */
    public boolean ejected(long nanoTime) {
        return loadCell != null && loadCell.ejected(nanoTime);
    }

    public int freeCapacity(Load pending) {
        return capacity - load(pending);
    }

    /** Load over capacity; a server without capacity counts as full. */
    public double utilization(Load pending) {
        return capacity <= 0 ? 1.0 : (double) load(pending) / capacity;
    }

    /** Equal views describe the same server the same way; which counters they read is not part of it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ServerView that && described().equals(that.described());
    }

    @Override
    public int hashCode() {
        return described().hashCode();
    }

    private List<Object> described() {
        return java.util.Arrays.asList(
                id,
                name,
                baseUrl,
                status,
                environment,
                location,
                tags,
                enabled,
                priority,
                weight,
                capacity,
                connected,
                checked);
    }

    public boolean hasTags(Set<String> wanted) {
        return wanted.isEmpty() || tags.containsAll(wanted);
    }
}
