package io.wafleet.router.accounts;

import io.wafleet.avro.AccountStateRecord;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Reads wa.account-state (compacted: one record per account, committed transactions only) into the {@link
 * AccountRegistry}: every partition from the start ({@link AccountSettings.Hold#EVERY_PARTITION}), or only the
 * partitions whose requests this instance handles ({@link AccountSettings.Hold#OWNED_PARTITIONS}): a partition
 * taken ({@link #hold}) is read from its beginning, one given up ({@link #release}) is no longer read and its
 * accounts leave the registry. Each change of partitions restarts the reader, kept partitions where it was.
 * {@link #hasRead} tells the request consumer when the registry holds everything a partition's previous owner wrote.
 */
public final class AccountStates implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccountStates.class);

    private final ConsumerFactory<String, byte[]> consumers;
    private final Topic<String, AccountStateRecord> topic;
    private final AccountRegistry registry;
    private final boolean everyPartition;
    /** Per partition, the next offset to read; -1 while the partition is not held. */
    private volatile AtomicLongArray positions = new AtomicLongArray(0);
    /** Per partition held, where it ended (committed) when it was taken: read up to there, the registry is loaded. */
    private volatile Map<Integer, Long> loadedAt = Map.of();

    private final Set<Integer> held = new TreeSet<>();
    private Reader reader;
    private volatile boolean started;
    private volatile boolean loadedOnce;

    public AccountStates(
            ConsumerFactory<String, byte[]> consumers,
            Topic<String, AccountStateRecord> topic,
            AccountRegistry registry,
            AccountSettings.Hold hold) {
        this.consumers = consumers;
        this.topic = topic;
        this.registry = registry;
        this.everyPartition = hold == AccountSettings.Hold.EVERY_PARTITION;
    }

    /** Whether the registry holds, of every partition held, what was there when the partition was taken. */
    public boolean isCaughtUp() {
        AtomicLongArray read = positions;
        for (Map.Entry<Integer, Long> end : loadedAt.entrySet()) {
            if (read.get(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        if (!loadedOnce && started) {
            loadedOnce = true;
            log.info("account registry loaded: {} accounts", registry.size());
        }
        return started;
    }

    /** Whether the registry holds every state up to these end offsets (partition number to offset). */
    public boolean hasRead(Map<Integer, Long> ends) {
        AtomicLongArray read = positions;
        for (Map.Entry<Integer, Long> end : ends.entrySet()) {
            if (end.getKey() >= read.length() || read.get(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whether the account's partition is held: its state is read here and the registry keeps it. */
    public boolean holds(String accountId) {
        AtomicLongArray read = positions;
        return read.length() > 0 && read.get(RequestPartitions.of(accountId, read.length())) >= 0;
    }

    /** Starts reading these partitions from their beginning (nothing changes when every partition is read). */
    public synchronized void hold(Collection<Integer> partitions) {
        if (!everyPartition && held.addAll(partitions)) {
            restart(partitions);
        }
    }

    /** Stops reading these partitions; their accounts leave the registry (unless every partition is read). */
    public synchronized void release(Collection<Integer> partitions) {
        if (everyPartition || !held.removeAll(partitions)) {
            return;
        }
        stopReader();
        AtomicLongArray read = positions;
        partitions.forEach(partition -> read.set(partition, -1));
        int forgotten = registry.forget(accountId -> !holds(accountId));
        log.info("gave up the account states of partitions {}: {} accounts left this instance", partitions, forgotten);
        restart(List.of());
    }

    /** Started before the request consumer, stopped after it: requests need what this reads. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 100;
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        int count;
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "account-states-setup")) {
            count = consumer.partitionsFor(topic.name()).size();
        }
        AtomicLongArray read = new AtomicLongArray(count);
        for (int partition = 0; partition < count; partition++) {
            read.set(partition, -1);
        }
        positions = read;
        registry.holdOnly(this::holds);
        List<Integer> taken = new ArrayList<>();
        if (everyPartition) {
            for (int partition = 0; partition < count; partition++) {
                held.add(partition);
                taken.add(partition);
            }
        }
        restart(taken);
        started = true;
    }

    @Override
    public synchronized void stop() {
        stopReader();
        started = false;
    }

    @Override
    public boolean isRunning() {
        Reader running = reader;
        return started && (running == null || running.isRunning());
    }

    private void stopReader() {
        if (reader != null) {
            reader.stop();
            reader = null;
        }
    }

    /** Reads the partitions held: those just taken from their beginning, the others from where they were. */
    private void restart(Collection<Integer> taken) {
        stopReader();
        if (held.isEmpty()) {
            loadedAt = Map.of();
            return;
        }
        AtomicLongArray read = positions;
        List<TopicPartitionOffset> from = new ArrayList<>();
        for (int partition : held) {
            long position = read.get(partition);
            from.add(
                    position < 0
                            ? new TopicPartitionOffset(
                                    topic.name(), partition, TopicPartitionOffset.SeekPosition.BEGINNING)
                            : new TopicPartitionOffset(topic.name(), partition, position));
        }
        Map<Integer, Long> loaded = new HashMap<>(loadedAt);
        loaded.keySet().retainAll(held);
        if (!taken.isEmpty()) {
            try (Consumer<String, byte[]> consumer = consumers.createConsumer(null, "account-states-ends")) {
                consumer.endOffsets(taken.stream()
                                .map(partition -> new TopicPartition(topic.name(), partition))
                                .toList())
                        .forEach((partition, end) -> loaded.put(partition.partition(), end));
            }
            taken.forEach(partition -> read.compareAndSet(partition, -1, 0));
        }
        loadedAt = Map.copyOf(loaded);
        reader = new Reader(from);
        reader.start();
    }

    /** One reading of the partitions held, until they change. */
    private final class Reader extends TopicListener<String, byte[]> {

        private final List<TopicPartitionOffset> from;

        Reader(List<TopicPartitionOffset> from) {
            super("account-states", consumers);
            this.from = from;
        }

        @Override
        protected ContainerProperties properties() {
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
            for (TopicPartitionOffset partition : from) {
                read.set(partition.getPartition(), consumer.position(partition.getTopicPartition()));
            }
        }

        private void apply(ConsumerRecord<String, byte[]> record) {
            AccountStateRecord state = RouterRecords.read(topic, record, log);
            if (state != null) { // null: a tombstone (no account is deleted yet), or unreadable
                registry.applyState(state);
            }
        }
    }
}
