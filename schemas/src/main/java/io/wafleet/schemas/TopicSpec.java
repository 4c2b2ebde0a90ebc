package io.wafleet.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How one topic is created: name, partitions, replication, and cleanup (compact, or delete after a retention).
 *
 * @param name the topic's name
 * @param partitions partition count; partitions are the unit of scale-out
 * @param replicationFactor replicas per partition (1 on the embedded single broker)
 * @param compacted true for a table topic kept by key, false for a stream deleted after retention
 * @param retention how long a stream topic keeps records; ignored when compacted
 */
public record TopicSpec(String name, int partitions, short replicationFactor, boolean compacted, Duration retention) {

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": replicationFactor must be at least 1, was " + replicationFactor);
        }
        if (!compacted && (retention == null || retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("topic " + name + ": a delete topic needs a positive retention");
        }
    }

    /** A compacted table topic. */
    public static TopicSpec compacted(String name, int partitions, short replicationFactor) {
        return new TopicSpec(name, partitions, replicationFactor, true, null);
    }

    /** A stream topic whose records are deleted after {@code retention}. */
    public static TopicSpec deleteAfter(String name, int partitions, short replicationFactor, Duration retention) {
        return new TopicSpec(name, partitions, replicationFactor, false, retention);
    }

    /** The topic-level configs this spec implies. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        if (compacted) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        return configs;
    }

    /** The admin request that creates this topic. */
    public NewTopic newTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs());
    }
}
