package io.wafleet.service;

import io.wafleet.schemas.TopicsConfig;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

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

    /** How configuration binds: each topic setting given lies over that topic's defaults. */
    @ConstructorBinding
    public WafleetProperties(String bootstrapServers, TopicOverrides topics) {
        this(bootstrapServers, topics == null ? null : topics.resolve());
    }

    /**
     * The topics as a service binds them from these environment variables (Spring's spelling, e.g.
     * {@code WAFLEET_TOPICS_CONNECTIONREQUESTS_PARTITIONS}): how a launcher that is not a Spring application agrees
     * with the services it starts.
     */
    public static TopicsConfig topicsFromEnvironment(Map<String, String> environment) {
        var source = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>copyOf(environment));
        return new Binder(ConfigurationPropertySources.from(source))
                .bind("wafleet.topics", TopicOverrides.class)
                .map(TopicOverrides::resolve)
                .orElseGet(TopicsConfig::defaults);
    }
}
