package io.wafleet.router.requests;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.accounts.AccountStates;
import io.wafleet.router.accounts.Publisher;
import io.wafleet.router.accounts.RequestPartitions;
import io.wafleet.router.lifecycle.Lifecycle;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.AcknowledgingConsumerAwareMessageListener;
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

    private final Topic<String, ConnectionRequest> requests;
    private final Topic<String, AccountStateRecord> states;
    private final Lifecycle lifecycle;
    private final AccountRegistry registry;
    private final AccountStates accountStates;
    private final Publisher publisher;
    private final int maxInFlight;
    private final HandledPartitions partitions = new HandledPartitions();
    private final Set<String> working = ConcurrentHashMap.newKeySet();
    private final RequestMeters meters;
    private final boolean holdsEveryAccount;
    private final List<Runnable> ownershipListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int partitionCount = 1;
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
        this.holdsEveryAccount = settings.hold() == AccountSettings.Hold.EVERY_PARTITION;
        this.meters = RequestMeters.of(meters, working);
    }

    /** The request partitions this instance handles now, in order. */
    public Set<Integer> ownedPartitions() {
        return partitions.owned();
    }

    /**
     * Whether this instance holds the account and answers for it: every instance holds every account, or only the
     * instance handling its partition does ({@link AccountSettings.Hold}).
     */
    public boolean holds(String accountId) {
        return holdsEveryAccount || partitions.owns(partitionOf(accountId));
    }

    /**
     * Whether the instance is ready to answer for its accounts: when it holds only its own partitions' accounts, once
     * the group has given it its partitions and their states are read (latched: a later rebalance does not take
     * readiness away); at once when it holds every account.
     */
    public boolean isSettled() {
        return holdsEveryAccount || partitions.settledOnce();
    }

    /** Called (on the consumer's thread) whenever the partitions this instance handles change. */
    public void onOwnership(Runnable listener) {
        ownershipListeners.add(listener);
    }

    private void ownershipChanged() {
        ownershipListeners.forEach(Runnable::run);
    }

    /** The partition of wa.connection-requests an account's requests are on (the producer's default partitioner). */
    public int partitionOf(String accountId) {
        return RequestPartitions.of(accountId, partitionCount);
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
        lifecycle.ownedBy(accountId -> partitions.owns(partitionOf(accountId)));
        ContainerProperties properties = new ContainerProperties(requests.name());
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setPollTimeout(POLL.toMillis());
        properties.setConsumerRebalanceListener(new RequestRebalance(
                partitions, accountStates, states.name(), this::ownershipChanged, working::remove));
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
        partitions.settle(working::remove);
        admitCaughtUp(consumer);
        throttle(consumer);
        if (System.nanoTime() - committedAt >= COMMIT_EVERY.toNanos()) {
            committedAt = System.nanoTime();
            partitions.commit(null);
        }
    }

    private void receive(ConsumerRecord<byte[], byte[]> record, Acknowledgment ack) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionOffsets partitionOffsets = partitions.offsets(partition);
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
        RequestProblems.Decoded decoded = RequestProblems.decode(record, requests);
        if (decoded.problem() != null) {
            deadLetter(record, partitionOffsets, decoded.problem());
            return;
        }
        ConnectionRequest request = decoded.request();
        String requestKey = request.getAccountId() + "\u0000" + request.getRequestId();
        if (registry.answered(request.getAccountId(), request.getRequestId()) || !working.add(requestKey)) {
            meters.duplicates().increment();
            log.debug("request {} for {} was already handled", request.getRequestId(), request.getAccountId());
            return;
        }
        meters.accepted().increment();
        partitions.started(partitionOffsets, record.offset());
        lifecycle
                .handle(request)
                .whenComplete((ok, error) ->
                        partitions.finished(new HandledPartitions.Done(partition, record.offset(), requestKey)));
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, PartitionOffsets partitionOffsets, String reason) {
        meters.deadLetters().increment();
        log.warn("request {}-{}@{} to dead letters: {}", record.topic(), record.partition(), record.offset(), reason);
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        partitions.started(partitionOffsets, record.offset());
        publisher
                .deadLetter(record, reason)
                .whenComplete((ok, error) ->
                        partitions.finished(new HandledPartitions.Done(partition, record.offset(), null)));
    }

    private void admitCaughtUp(Consumer<?, ?> consumer) {
        if (!partitions.anyWaiting() || !lifecycle.ready()) {
            return;
        }
        List<TopicPartition> ready = partitions.admit(accountStates::hasRead);
        for (TopicPartition partition : ready) {
            if (!pausedForLoad) {
                consumer.resume(List.of(partition));
            }
            lifecycle.resumeWatches(accountId -> partitionOf(accountId) == partition.partition());
        }
        if (!ready.isEmpty()) {
            log.info("handling requests of {}", ready);
            ownershipChanged();
        }
    }

    /** Stops reading while {@code maxInFlight} requests are being worked on; reads again below half of it. */
    private void throttle(Consumer<?, ?> consumer) {
        int inFlight = partitions.inFlight();
        if (!pausedForLoad && inFlight >= maxInFlight) {
            pausedForLoad = true;
            consumer.pause(consumer.assignment());
        } else if (pausedForLoad && inFlight < maxInFlight / 2) {
            pausedForLoad = false;
            List<TopicPartition> admitted = consumer.assignment().stream()
                    .filter(partition -> !partitions.isWaiting(partition))
                    .toList();
            consumer.resume(admitted);
        }
    }
}
