package io.wafleet.router.accounts;

import io.wafleet.avro.AccountStateRecord;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Reads wa.account-state (compacted: one record per account, committed transactions only) from its beginning into
 * the {@link AccountRegistry}, and keeps reading: every router instance holds every account's current state, so any
 * instance answers selection with stickiness and account queries. Ready once it has read up to the ends the topic had
 * at start; {@link #hasRead} tells the request consumer when the registry holds everything a partition's previous
 * owner wrote.
 */
public final class AccountStates extends TopicListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(AccountStates.class);

    private final Topic<String, AccountStateRecord> topic;
    private final AccountRegistry registry;
    private volatile AtomicLongArray positions = new AtomicLongArray(0);
    private volatile boolean caughtUp;
    private List<TopicPartition> partitions;
    private Map<TopicPartition, Long> startEnds;

    public AccountStates(
            ConsumerFactory<String, byte[]> consumers,
            Topic<String, AccountStateRecord> topic,
            AccountRegistry registry) {
        super("account-states", consumers);
        this.topic = topic;
        this.registry = registry;
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Whether the registry holds every event up to these end offsets (partition number to offset). */
    public boolean hasRead(Map<Integer, Long> ends) {
        AtomicLongArray read = positions;
        for (Map.Entry<Integer, Long> end : ends.entrySet()) {
            if (end.getKey() >= read.length() || read.get(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Started before the request consumer, stopped after it: requests need what this reads. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 100;
    }

    @Override
    protected ContainerProperties properties() {
        List<TopicPartitionOffset> from = partitions(topic.name(), TopicPartitionOffset.SeekPosition.BEGINNING);
        partitions = from.stream().map(TopicPartitionOffset::getTopicPartition).toList();
        startEnds = beforeStart(consumer -> consumer.endOffsets(partitions));
        positions = new AtomicLongArray(partitions.size());
        ContainerProperties properties = new ContainerProperties(from.toArray(TopicPartitionOffset[]::new));
        properties.setMessageListener((BatchConsumerAwareMessageListener<String, byte[]>) (records, consumer) -> {
            records.forEach(this::apply);
            read(consumer);
        });
        return properties;
    }

    /** Positions move past transaction markers without records too: they are looked at when nothing comes. */
    @Override
    protected void idle(Consumer<?, ?> consumer) {
        read(consumer);
    }

    private void read(Consumer<?, ?> consumer) {
        AtomicLongArray read = positions;
        for (TopicPartition partition : partitions) {
            read.set(partition.partition(), consumer.position(partition));
        }
        if (!caughtUp
                && startEnds.entrySet().stream()
                        .allMatch(e -> read.get(e.getKey().partition()) >= e.getValue())) {
            caughtUp = true;
            log.info("account registry loaded: {} accounts", registry.size());
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        AccountStateRecord state = RouterRecords.read(topic, record, log);
        if (state != null) { // null: a tombstone (no account is deleted yet), or unreadable
            registry.applyState(state);
        }
    }
}
