package io.wafleet.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The names and shapes of wafleet's topics. Services bind it from {@code wafleet.topics.*}; any topic left out
 * keeps its default from ARCHITECTURE.md.
 */
public record TopicsConfig(
        TopicSpec serverConfigs,
        TopicSpec lbRules,
        TopicSpec healthChecks,
        TopicSpec serverStats,
        TopicSpec serverMetrics,
        TopicSpec serverHealth,
        TopicSpec serverEvents,
        TopicSpec connectionRequests,
        TopicSpec connectionEvents,
        TopicSpec deadLetters,
        TopicSpec accountState,
        TopicSpec routerMembers,
        TopicSpec serverNotices,
        TopicSpec outboundMessages,
        TopicSpec messageEvents,
        TopicSpec messageProgress) {

    public static final int DEFAULT_PARTITIONS = 6;
    public static final short DEFAULT_REPLICATION = 1;

    /** Each topic's key under {@code wafleet.topics}, in the order of {@link #all()}. */
    public static final List<String> KEYS = List.of(
            "server-configs",
            "lb-rules",
            "health-checks",
            "server-stats",
            "server-metrics",
            "server-health",
            "server-events",
            "connection-requests",
            "connection-events",
            "dead-letters",
            "account-state",
            "router-members",
            "server-notices",
            "outbound-messages",
            "message-events",
            "message-progress");

    public TopicsConfig {
        serverConfigs = orDefault(serverConfigs, compacted("wa.server-configs"));
        lbRules = orDefault(lbRules, compacted("wa.lb-rules"));
        healthChecks = orDefault(healthChecks, deleteAfter("wa.health-checks", Duration.ofDays(1)));
        serverStats = orDefault(serverStats, deleteAfter("wa.server-stats", Duration.ofDays(7)));
        serverMetrics = orDefault(serverMetrics, deleteAfter("wa.server-metrics", Duration.ofDays(30)));
        serverHealth = orDefault(serverHealth, compacted("wa.server-health"));
        serverEvents = orDefault(serverEvents, deleteAfter("wa.server-events", Duration.ofDays(30)));
        connectionRequests = orDefault(connectionRequests, deleteAfter("wa.connection-requests", Duration.ofDays(7)));
        connectionEvents = orDefault(connectionEvents, deleteAfter("wa.connection-events", Duration.ofDays(30)));
        deadLetters = orDefault(deadLetters, deleteAfter("wa.dead-letters", Duration.ofDays(30)));
        // Partitioned exactly like the requests: the owner of request partition p writes and restores state partition
        // p. No time retention: an account is never forgotten.
        accountState = orDefault(
                accountState,
                TopicSpec.compacted(
                        "wa.account-state", connectionRequests.partitions(), connectionRequests.replicationFactor()));
        // Small (one record per router instance), read whole by every instance: one partition.
        routerMembers = orDefault(
                routerMembers, TopicSpec.compacted("wa.router-members", 1, connectionRequests.replicationFactor()));
        // What servers push of their own accord: read live by the routers (polling covers what is missed).
        serverNotices = orDefault(serverNotices, deleteAfter("wa.server-notices", Duration.ofDays(7)));
        // An account's messages are sent by the owner of its request partition: message partition p is request
        // partition p, and so is progress partition p.
        outboundMessages = orDefault(
                outboundMessages,
                TopicSpec.deleteAfter(
                        "wa.outbound-messages",
                        connectionRequests.partitions(),
                        connectionRequests.replicationFactor(),
                        Duration.ofDays(7)));
        messageEvents = orDefault(messageEvents, deleteAfter("wa.message-events", Duration.ofDays(30)));
        messageProgress = orDefault(
                messageProgress,
                TopicSpec.compacted(
                        "wa.message-progress",
                        connectionRequests.partitions(),
                        connectionRequests.replicationFactor()));
        // Every mismatch at once, so an operator fixes the configuration in one go.
        String mismatches = Stream.of(
                        partitionedLike(accountState, connectionRequests, true),
                        partitionedLike(outboundMessages, connectionRequests, false),
                        partitionedLike(messageProgress, connectionRequests, true))
                .flatMap(Optional::stream)
                .collect(Collectors.joining("; "));
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException(mismatches);
        }
    }

    /** Every topic at its default name and shape. */
    public static TopicsConfig defaults() {
        return new TopicsConfig(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Every topic, in the order of the topic table. */
    public List<TopicSpec> all() {
        return List.of(
                serverConfigs,
                lbRules,
                healthChecks,
                serverStats,
                serverMetrics,
                serverHealth,
                serverEvents,
                connectionRequests,
                connectionEvents,
                deadLetters,
                accountState,
                routerMembers,
                serverNotices,
                outboundMessages,
                messageEvents,
                messageProgress);
    }

    /** These topics as the {@code wafleet.topics.*} properties services bind, e.g. to pass as arguments. */
    public Map<String, String> asProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        List<TopicSpec> specs = all();
        for (int i = 0; i < KEYS.size(); i++) {
            String base = "wafleet.topics." + KEYS.get(i) + ".";
            TopicSpec spec = specs.get(i);
            properties.put(base + "name", spec.name());
            properties.put(base + "partitions", Integer.toString(spec.partitions()));
            properties.put(base + "replication-factor", Short.toString(spec.replicationFactor()));
            properties.put(base + "compacted", Boolean.toString(spec.compacted()));
            if (spec.retention() != null) {
                properties.put(base + "retention", spec.retention().toMillis() + "ms");
            }
        }
        return properties;
    }

    private static Optional<String> partitionedLike(TopicSpec topic, TopicSpec requests, boolean compacted) {
        if (topic.partitions() == requests.partitions() && (!compacted || topic.compacted())) {
            return Optional.empty();
        }
        return Optional.of("topic " + topic.name() + " must " + (compacted ? "be compacted and " : "")
                + "have as many partitions as " + requests.name() + " (" + requests.partitions() + "), had "
                + topic.partitions() + (compacted && !topic.compacted() ? " and is not compacted" : ""));
    }

    private static TopicSpec orDefault(TopicSpec configured, TopicSpec fallback) {
        return configured != null ? configured : fallback;
    }

    private static TopicSpec compacted(String name) {
        return TopicSpec.compacted(name, DEFAULT_PARTITIONS, DEFAULT_REPLICATION);
    }

    private static TopicSpec deleteAfter(String name, Duration retention) {
        return TopicSpec.deleteAfter(name, DEFAULT_PARTITIONS, DEFAULT_REPLICATION, retention);
    }
}
