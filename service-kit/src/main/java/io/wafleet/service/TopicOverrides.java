package io.wafleet.service;

import io.wafleet.schemas.Topic;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.TopicsConfig;
import java.time.Duration;

/**
 * What configuration says of the topics ({@code wafleet.topics.*}): any topic, and any part of a topic, left out keeps
 * its default, so {@code WAFLEET_TOPICS_HEALTHCHECKS_PARTITIONS=24} alone is a complete setting.
 */
public record TopicOverrides(
        Topic serverConfigs,
        Topic lbRules,
        Topic healthChecks,
        Topic serverStats,
        Topic serverMetrics,
        Topic serverHealth,
        Topic serverEvents,
        Topic connectionRequests,
        Topic connectionEvents,
        Topic deadLetters,
        Topic accountState,
        Topic routerMembers,
        Topic serverNotices,
        Topic outboundMessages,
        Topic messageEvents,
        Topic messageProgress) {

    /** One topic's settings; null parts keep the default. */
    public record Topic(
            String name, Integer partitions, Short replicationFactor, Boolean compacted, Duration retention) {

        TopicSpec over(TopicSpec defaults) {
            return new TopicSpec(
                    name != null ? name : defaults.name(),
                    partitions != null ? partitions : defaults.partitions(),
                    replicationFactor != null ? replicationFactor : defaults.replicationFactor(),
                    compacted != null ? compacted : defaults.compacted(),
                    retention != null ? retention : defaults.retention());
        }
    }

    /** The topics with these settings laid over the defaults of ARCHITECTURE.md. */
    public TopicsConfig resolve() {
        TopicsConfig defaults = TopicsConfig.defaults();
        TopicSpec requests = over(connectionRequests, defaults.connectionRequests());
        return new TopicsConfig(
                over(serverConfigs, defaults.serverConfigs()),
                over(lbRules, defaults.lbRules()),
                over(healthChecks, defaults.healthChecks()),
                over(serverStats, defaults.serverStats()),
                over(serverMetrics, defaults.serverMetrics()),
                over(serverHealth, defaults.serverHealth()),
                over(serverEvents, defaults.serverEvents()),
                requests,
                over(connectionEvents, defaults.connectionEvents()),
                over(deadLetters, defaults.deadLetters()),
                // By default shaped like the requests as configured (the state must be partitioned as they are).
                over(
                        accountState,
                        TopicSpec.compacted(
                                defaults.accountState().name(), requests.partitions(), requests.replicationFactor())),
                over(
                        routerMembers,
                        TopicSpec.compacted(defaults.routerMembers().name(), 1, requests.replicationFactor())),
                over(serverNotices, defaults.serverNotices()),
                // By default shaped like the requests as configured (an account's messages are its owner's).
                over(
                        outboundMessages,
                        TopicSpec.deleteAfter(
                                defaults.outboundMessages().name(),
                                requests.partitions(),
                                requests.replicationFactor(),
                                defaults.outboundMessages().retention())),
                over(messageEvents, defaults.messageEvents()),
                over(
                        messageProgress,
                        TopicSpec.compacted(
                                defaults.messageProgress().name(),
                                requests.partitions(),
                                requests.replicationFactor())));
    }

    private static TopicSpec over(Topic configured, TopicSpec defaults) {
        return configured == null ? defaults : configured.over(defaults);
    }
}
