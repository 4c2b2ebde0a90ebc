package io.wafleet.router.accounts;

import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.schemas.Topics;
import io.wafleet.service.TopicListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Upgrades a deployment that ran before wa.account-state: at start, when the state holds no committed record while
 * wa.connection-events has events, the state is built once from those events (the registry's fold) and written in
 * one transaction. Every router may try it at once: they share one transactional id, so a second fences the first,
 * and each looks again whether the state is there before writing. Runs before the state is read and requests are
 * handled (start blocks, so readiness waits for it).
 */
public final class StateUpgrade implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StateUpgrade.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** The one transactional id of every router's upgrade, before the state topic's name. */
    static final String TRANSACTIONAL_ID = "wafleet-account-state-upgrade-";

    private final Topics topics;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private volatile boolean running;

    /**
     * @param consumers makes a read_committed consumer (no group)
     * @param producers makes a transactional producer of the given transactional id
     */
    public StateUpgrade(
            Topics topics,
            Supplier<Consumer<byte[], byte[]>> consumers,
            Function<String, Producer<byte[], byte[]>> producers) {
        this.topics = topics;
        this.consumers = consumers;
        this.producers = producers;
    }

    /** Before the state is read ({@link AccountStates}) and requests handled. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 200;
    }

    @Override
    public void start() {
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            run(consumer);
        }
        running = true;
    }

    /** Builds the state if it needs it; returns the number of accounts written (0: it did not need it). */
    int run(Consumer<byte[], byte[]> consumer) {
        List<TopicPartition> state =
                TopicListener.partitionsOf(consumer, topics.accountState().name());
        List<TopicPartition> events =
                TopicListener.partitionsOf(consumer, topics.connectionEvents().name());
        if (!isEmpty(consumer, state) || isEmpty(consumer, events)) {
            return 0;
        }
        while (true) {
            try (Producer<byte[], byte[]> producer =
                    producers.apply(TRANSACTIONAL_ID + topics.accountState().name())) {
                producer.initTransactions(); // fences another router doing the same
                if (!isEmpty(consumer, state)) {
                    return 0; // it finished first
                }
                AccountRegistry folded = fold(consumer, events);
                producer.beginTransaction();
                for (Account account : folded.accounts()) {
                    AccountStateRecord record = AccountFold.record(account);
                    String name = topics.accountState().name();
                    producer.send(new ProducerRecord<>(
                            name,
                            account.accountId().getBytes(StandardCharsets.UTF_8),
                            topics.accountState().valueSerde().serializer().serialize(name, record)));
                }
                producer.commitTransaction();
                log.info(
                        "account state built from {}: {} accounts written to {}",
                        topics.connectionEvents().name(),
                        folded.size(),
                        topics.accountState().name());
                return folded.size();
            } catch (ProducerFencedException e) {
                log.info("another router builds the account state; looking again");
            }
        }
    }

    /** Every event of the topic, folded. */
    private AccountRegistry fold(Consumer<byte[], byte[]> consumer, List<TopicPartition> events) {
        AccountRegistry folded = new AccountRegistry();
        consumer.assign(events);
        consumer.seekToBeginning(events);
        Map<TopicPartition, Long> ends = consumer.endOffsets(events);
        while (events.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                ConnectionEvent event = RouterRecords.read(topics.connectionEvents(), record, log);
                if (event != null) {
                    folded.applyRead(event);
                }
            }
        }
        return folded;
    }

    /** Whether the partitions hold no committed record (the consumer reads committed records only). */
    private static boolean isEmpty(Consumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (!consumer.poll(POLL).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
