package io.wafleet.service;

import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.TopicsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;

/** Creates the topics of a {@link TopicsConfig} that do not exist yet; existing topics are left as they are. */
public final class TopicProvisioner {

    private static final long TIMEOUT_SECONDS = 30;

    private TopicProvisioner() {}

    /** Creates the missing topics and returns their names. */
    public static List<String> ensure(Admin admin, TopicsConfig config) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = config.all().stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(TopicSpec::newTopic)
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot create wafleet's topics: " + e.getMessage(), e);
        }
    }

    /**
     * How the existing topics differ from the configuration in partitions or replicas, one line each (nothing is
     * changed: more partitions move keys between partitions, which is the operator's call).
     */
    public static List<String> differences(Admin admin, TopicsConfig config) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<TopicSpec> specs = config.all().stream()
                    .filter(spec -> existing.contains(spec.name()))
                    .toList();
            Map<String, TopicDescription> described = admin.describeTopics(
                            specs.stream().map(TopicSpec::name).toList())
                    .allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> differences = new ArrayList<>();
            for (TopicSpec spec : specs) {
                TopicDescription topic = described.get(spec.name());
                int partitions = topic.partitions().size();
                int replicas = topic.partitions().get(0).replicas().size();
                if (partitions != spec.partitions() || replicas != spec.replicationFactor()) {
                    differences.add(spec.name() + " has " + partitions + " partitions × " + replicas
                            + " replicas; configured " + spec.partitions() + " × " + spec.replicationFactor());
                }
            }
            return differences;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while describing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot describe wafleet's topics: " + e.getMessage(), e);
        }
    }
}
