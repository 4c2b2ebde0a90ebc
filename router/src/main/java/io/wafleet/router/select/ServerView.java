package io.wafleet.router.select;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import java.util.Set;

/**
 * What selection needs of one server, taken from its ServerHealth: immutable, so a fleet snapshot can be read by any
 * number of request threads without locks.
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
        boolean checked) {

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
                health.getLastCheckAt() != null);
    }

    /** Accounts on it: those it reports plus those assigned to it and not yet reported. */
    public int load(Load pending) {
        return connected + pending.pending(id);
    }

    public int freeCapacity(Load pending) {
        return capacity - load(pending);
    }

    /** Load over capacity; a server without capacity counts as full. */
    public double utilization(Load pending) {
        return capacity <= 0 ? 1.0 : (double) load(pending) / capacity;
    }

    public boolean hasTags(Set<String> wanted) {
        return wanted.isEmpty() || tags.containsAll(wanted);
    }
}
