package io.wafleet.probe;

import io.wafleet.avro.ServerConfig;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads the compacted wa.server-configs in the workers' consumer group: each worker owns the servers of its
 * partitions, reads those partitions from their beginning on assignment (the whole current config), and hands them to
 * the scheduler; a revoked partition's servers stop being probed here. A config it cannot use goes to
 * wa.dead-letters; the server keeps its last good config.
 */
final class ConfigConsumer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final ProbeScheduler scheduler;
    private final ProbeTargets targets;
    private final CheckPublisher publisher;
    private final Topics topics;
    private final String probeId;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean caughtUp;
    private Thread thread;

    ConfigConsumer(
            Consumer<byte[], byte[]> consumer,
            ProbeScheduler scheduler,
            ProbeTargets targets,
            CheckPublisher publisher,
            Topics topics,
            String probeId) {
        this.consumer = consumer;
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
    public void start() {
        if (running.compareAndSet(false, true)) {
            thread = new Thread(this::run, "config-consumer");
            thread.start();
        }
    }

    @Override
    public void stop() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topics.serverConfigs().name()), new Ownership());
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (!caughtUp) {
                    // End offsets cost a broker round trip: only until the assigned partitions have been read.
                    caughtUp = atEnd();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("config consumer stopped: {}", e.toString(), e);
        } finally {
            consumer.close(); // leaving the group hands this worker's partitions to the others
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
        } catch (SerializationException | ProbeTargets.InvalidConfig e) {
            LOG.warn("{}; sent to {}", e.getMessage(), topics.deadLetters().name());
            deadLetter(record, e.getMessage());
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        publisher.send(DeadLetters.of(topics.deadLetters(), record, reason, "health-probe " + probeId));
    }

    private boolean atEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** Assigned partitions are read from their beginning; revoked or lost ones lose their servers here. */
    private final class Ownership implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
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
