package io.wafleet.schemas;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings every wafleet service shares ({@code wafleet.*}): the Kafka cluster and the topics.
 *
 * @param bootstrapServers Kafka's bootstrap servers ({@code KAFKA_BOOTSTRAP_SERVERS})
 * @param topics topic names and shapes; defaults as in ARCHITECTURE.md
 */
@ConfigurationProperties("wafleet")
public record WafleetProperties(String bootstrapServers, TopicsConfig topics) {

    public WafleetProperties {
        bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
        topics = topics == null ? TopicsConfig.defaults() : topics;
    }

    public Topics typedTopics() {
        return new Topics(topics);
    }
}
