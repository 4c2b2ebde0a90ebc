package io.wafleet.router.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.AcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The routers' consumer group over wa.connection-requests: each account's requests are on one partition (key =
 * accountId), each partition with one router, so no account is handled by two routers at once.
 *
 * <p>On taking a partition over, its requests wait until the registry has read wa.account-state up to where it
 * ended at that moment (everything the previous owner wrote), then the watches of its accounts' sessions resume.
 * Requests are handled concurrently; a partition's offset is committed up to its oldest request not yet answered, so
 * a router that dies makes its successor redo only unanswered requests (answered ones are recognised by their id).
 * Unreadable requests, and requests without an account id or whose key is not the account id, go to
 * wa.dead-letters with the reason.
 *
 * <p>A spring-kafka listener container runs the consumer (manual acks: each partition's committable offset is
 * acknowledged by the record just before it). Its out-of-order acknowledgements ({@code asyncAcks}) do not fit here:
 * they pause every partition until all records of the previous poll are acknowledged, so one request waiting on a
 * slow server would hold up every account of this router. Pausing is done on the consumer directly for the same
 * reason (a partition waiting for the registry, and all while {@code maxInFlight} requests are under way), and the
 * listener never throws (a request it cannot handle is a dead letter), so the container's error handling, which
 * resumes the whole consumer after a retry, never runs on records.
 */
public final class RequestConsumer extends TopicListener<byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(RequestConsumer.class);
    private static final Duration COMMIT_EVERY = Duration.ofMillis(200);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

    /** A request (or its dead letter) that is done. */
    private record Done(TopicPartition partition, long offset, String requestKey) {}

    private final Topic<String, ConnectionRequest> requests;
    private final Topic<String, AccountStateRecord> states;
    private final Lifecycle lifecycle;
    private final AccountRegistry registry;
    private final AccountStates accountStates;
    private final Publisher publisher;
    private final int maxInFlight;
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter deadLetters;
    private final Map<TopicPartition, PartitionOffsets> offsets = new HashMap<>();
    private final Map<TopicPartition, Map<Integer, Long>> waitingForRegistry = new HashMap<>();
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final Set<String> working = ConcurrentHashMap.newKeySet();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile int partitionCount = 1;
    private int inFlight;
    private boolean pausedForLoad;
    private long committedAt;

    public RequestConsumer(
            ConsumerFactory<byte[], byte[]> consumers,
            Topic<String, ConnectionRequest> requests,
            Topic<String, AccountStateRecord> states,
            Lifecycle lifecycle,
            AccountRegistry registry,
            AccountStates accountStates,
            Publisher publisher,
            AccountSettings settings,
            MeterRegistry meters) {
        super("connection-requests", consumers);
        this.requests = requests;
        this.states = states;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.accountStates = accountStates;
        this.publisher = publisher;
        this.maxInFlight = settings.maxInFlight();
        this.accepted = meters.counter("wafleet.router.requests", "result", "accepted");
        this.duplicates = meters.counter("wafleet.router.requests", "result", "duplicate");
        this.deadLetters = meters.counter("wafleet.router.requests", "result", "dead_letter");
        meters.gauge("wafleet.router.requests.in.flight", working, Set::size);
    }

    /** The request partitions this instance handles now, in order. */
    public Set<Integer> ownedPartitions() {
        return new TreeSet<>(owned);
    }

    /** The partition of wa.connection-requests an account's requests are on (the producer's default partitioner). */
    public int partitionOf(String accountId) {
        return Utils.toPositive(Utils.murmur2(accountId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    @Override
    protected ContainerProperties properties() {
        partitionCount =
                beforeStart(consumer -> consumer.partitionsFor(requests.name()).size());
        int statePartitions =
                beforeStart(consumer -> consumer.partitionsFor(states.name()).size());
        if (statePartitions != partitionCount) {
            // The owner of request partition p writes and restores state partition p: they must be the same accounts.
            throw new IllegalStateException(states.name() + " has " + statePartitions + " partitions and "
                    + requests.name() + " " + partitionCount + ": they must have as many");
        }
        lifecycle.ownedBy(accountId -> owned.contains(partitionOf(accountId)));
        ContainerProperties properties = new ContainerProperties(requests.name());
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setPollTimeout(POLL.toMillis());
        properties.setConsumerRebalanceListener(new Ownership());
        properties.setMessageListener(
                (AcknowledgingConsumerAwareMessageListener<byte[], byte[]>) (record, ack, consumer) -> {
                    receive(record, ack);
                    afterPoll(consumer);
                });
        return properties;
    }

    @Override
    protected void idle(Consumer<?, ?> consumer) {
        afterPoll(consumer);
    }

    private void afterPoll(Consumer<?, ?> consumer) {
        settle();
        admitCaughtUp(consumer);
        throttle(consumer);
        if (System.nanoTime() - committedAt >= COMMIT_EVERY.toNanos()) {
            commit(offsets.keySet());
        }
    }

    private void receive(ConsumerRecord<byte[], byte[]> record, Acknowledgment ack) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionOffsets partitionOffsets = offsets.get(partition);
        if (partitionOffsets == null) {
            return; // revoked while its last records were handed out: its next owner reads them
        }
        partitionOffsets.read(record.offset(), ack);
        try {
            handle(record, partitionOffsets);
        } catch (RuntimeException e) {
            deadLetter(record, partitionOffsets, "the request could not be handled: " + e);
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, PartitionOffsets partitionOffsets) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        ConnectionRequest request;
        try {
            request = record.value() == null
                    ? null
                    : requests.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            deadLetter(record, partitionOffsets, "unreadable ConnectionRequest: " + e.getMessage());
            return;
        }
        String problem = RequestProblems.of(request, key);
        if (problem != null) {
            deadLetter(record, partitionOffsets, problem);
            return;
        }
        String requestKey = request.getAccountId() + "\u0000" + request.getRequestId();
        if (registry.answered(request.getAccountId(), request.getRequestId()) || !working.add(requestKey)) {
            duplicates.increment();
            log.debug("request {} for {} was already handled", request.getRequestId(), request.getAccountId());
            return;
        }
        accepted.increment();
        partitionOffsets.start(record.offset());
        inFlight++;
        lifecycle
                .handle(request)
                .whenComplete((ok, error) -> done.add(new Done(partition, record.offset(), requestKey)));
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, PartitionOffsets partitionOffsets, String reason) {
        deadLetters.increment();
        log.warn("request {}-{}@{} to dead letters: {}", record.topic(), record.partition(), record.offset(), reason);
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        partitionOffsets.start(record.offset());
        inFlight++;
        publisher
                .deadLetter(record, reason)
                .whenComplete((ok, error) -> done.add(new Done(partition, record.offset(), null)));
    }

    /** Takes in what finished since the last look. */
    private void settle() {
        for (Done finished = done.poll(); finished != null; finished = done.poll()) {
            settle(finished);
        }
    }

    private void settle(Done finished) {
        if (finished.requestKey() != null) {
            working.remove(finished.requestKey());
        }
        PartitionOffsets partitionOffsets = offsets.get(finished.partition());
        if (partitionOffsets != null && partitionOffsets.finish(finished.offset())) {
            inFlight--;
        }
    }

    private void admitCaughtUp(Consumer<?, ?> consumer) {
        if (waitingForRegistry.isEmpty() || !lifecycle.ready()) {
            return;
        }
        List<TopicPartition> ready = new ArrayList<>();
        waitingForRegistry.forEach((partition, ends) -> {
            if (accountStates.hasRead(ends)) {
                ready.add(partition);
            }
        });
        for (TopicPartition partition : ready) {
            waitingForRegistry.remove(partition);
            owned.add(partition.partition());
            if (!pausedForLoad) {
                consumer.resume(List.of(partition));
            }
            lifecycle.resumeWatches(accountId -> partitionOf(accountId) == partition.partition());
        }
        if (!ready.isEmpty()) {
            log.info("handling requests of {}", ready);
        }
    }

    /** Stops reading while {@code maxInFlight} requests are being worked on; reads again below half of it. */
    private void throttle(Consumer<?, ?> consumer) {
        if (!pausedForLoad && inFlight >= maxInFlight) {
            pausedForLoad = true;
            consumer.pause(consumer.assignment());
        } else if (pausedForLoad && inFlight < maxInFlight / 2) {
            pausedForLoad = false;
            List<TopicPartition> admitted = consumer.assignment().stream()
                    .filter(partition -> !waitingForRegistry.containsKey(partition))
                    .toList();
            consumer.resume(admitted);
        }
    }

    /** Acknowledges, for each partition, the record just before its committable offset; the container commits. */
    private void commit(Collection<TopicPartition> partitions) {
        committedAt = System.nanoTime();
        for (TopicPartition partition : partitions) {
            PartitionOffsets partitionOffsets = offsets.get(partition);
            if (partitionOffsets != null) {
                partitionOffsets.commit();
            }
        }
    }

    /** Partitions coming and going. Runs in the consumer's thread, inside poll (or close). */
    private final class Ownership implements ConsumerAwareRebalanceListener {

        @Override
        public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // This consumer reads uncommitted: the ends include a transaction the previous owner left open, so the
            // requests wait until it is committed or aborted and the registry holds what it committed.
            Map<Integer, Long> ends = new HashMap<>();
            consumer.endOffsets(partitionsOf(consumer, states.name()))
                    .forEach((partition, end) -> ends.put(partition.partition(), end));
            for (TopicPartition partition : partitions) {
                offsets.put(partition, new PartitionOffsets());
                waitingForRegistry.put(partition, ends);
            }
            consumer.pause(partitions);
        }

        /** Before the container commits what was acknowledged: the requests under way are answered first. */
        @Override
        public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> owned.remove(partition.partition()));
            // The successor starts after this returns: let the requests under way here be answered first.
            long until = System.nanoTime() + REVOKE_WAIT.toNanos();
            try {
                while (partitions.stream()
                                .anyMatch(p ->
                                        offsets.containsKey(p) && offsets.get(p).inFlight() > 0)
                        && System.nanoTime() < until) {
                    Done finished = done.poll(50, TimeUnit.MILLISECONDS);
                    if (finished != null) {
                        settle(finished);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            commit(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> owned.remove(partition.partition()));
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                PartitionOffsets gone = offsets.remove(partition);
                if (gone != null) {
                    inFlight -= gone.inFlight();
                }
                waitingForRegistry.remove(partition);
            }
        }
    }
}
