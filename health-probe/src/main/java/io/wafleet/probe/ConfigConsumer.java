package io.wafleet.probe;

import io.wafleet.avro.ServerConfig;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topics;
import io.wafleet.service.TopicListener;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * Reads the compacted wa.server-configs in the workers' consumer group: each worker owns the servers of its
 * partitions, reads those partitions from their beginning on assignment (the whole current config), and hands them to
 * the scheduler; a revoked partition's servers stop being probed here. A config it cannot use goes to
 * wa.dead-letters; the server keeps its last good config.
 */
final class ConfigConsumer extends TopicListener<byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigConsumer.class);

    private final ProbeScheduler scheduler;
    private final ProbeTargets targets;
    private final CheckPublisher publisher;
    private final Topics topics;
    private final String probeId;
    private volatile boolean caughtUp;

    ConfigConsumer(
            ConsumerFactory<byte[], byte[]> consumers,
            ProbeScheduler scheduler,
            ProbeTargets targets,
            CheckPublisher publisher,
            Topics topics,
            String probeId) {
        super("config-consumer", consumers);
        this.scheduler = scheduler;
        this.targets = targets;
        this.publisher = publisher;
        this.topics = topics;
        this.probeId = probeId;
    }

    /** True once the configs of the partitions assigned last have been read to their end. */
    boolean isCaughtUp() {
        return caughtUp;
    }

    @Override
    protected ContainerProperties properties() {
        ContainerProperties properties =
                new ContainerProperties(topics.serverConfigs().name());
        // Positions are never committed: an owner always reads its partitions' whole current config.
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setAssignmentCommitOption(ContainerProperties.AssignmentCommitOption.NEVER);
        properties.setConsumerRebalanceListener(new Ownership());
        properties.setMessageListener((BatchConsumerAwareMessageListener<byte[], byte[]>) (records, consumer) -> {
            records.forEach(this::apply);
            lookWhetherCaughtUp(consumer);
        });
        return properties;
    }

    @Override
    protected void idle(Consumer<?, ?> consumer) {
        lookWhetherCaughtUp(consumer);
    }

    /** The consumer has left its group (which revoked its partitions and unscheduled their servers). */
    @Override
    protected void stopped() {
        scheduler.close();
    }

    private void lookWhetherCaughtUp(Consumer<?, ?> consumer) {
        if (!caughtUp) {
            // End offsets cost a broker round trip: only until the assigned partitions have been read.
            caughtUp = atEnd(consumer);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            deadLetter(record, "a server config needs its server id as key");
            return;
        }
        String serverId = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            scheduler.remove(serverId);
            return;
        }
        try {
            ServerConfig config =
                    topics.serverConfigs().valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (!config.getIsEnabled()) {
                scheduler.remove(serverId);
            } else {
                scheduler.upsert(targets.from(config), record.partition());
            }
        } catch (SerializationException | ServerEndpoints.InvalidConfig e) {
            LOG.warn("{}; sent to {}", e.getMessage(), topics.deadLetters().name());
            deadLetter(record, e.getMessage());
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        publisher.deadLetter(DeadLetters.of(topics.deadLetters(), record, reason, "health-probe " + probeId));
    }

    private static boolean atEnd(Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** Assigned partitions are read from their beginning; revoked or lost ones lose their servers here. */
    private final class Ownership implements ConsumerAwareRebalanceListener {
        @Override
        public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            caughtUp = false;
            consumer.seekToBeginning(partitions);
            LOG.info("probing the servers of partitions {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> scheduler.removePartition(partition.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
