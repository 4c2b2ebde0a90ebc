package io.wafleet.router.requests;

import io.wafleet.router.accounts.AccountStates;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Request partitions coming and going, for the {@link RequestConsumer}: a partition taken waits until the registry
 * holds its accounts' states (read from their beginning when this instance holds only its own partitions' accounts);
 * one given up has its requests under way answered first (up to {@link #REVOKE_WAIT}), its offsets committed, and
 * its accounts' states let go. Runs on the consumer's thread, inside poll (or close).
 */
final class RequestRebalance implements ConsumerAwareRebalanceListener {

    private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

    private final HandledPartitions partitions;
    private final AccountStates accountStates;
    private final String statesTopic;
    private final Runnable ownershipChanged;
    private final Consumer<String> requestDone;

    RequestRebalance(
            HandledPartitions partitions,
            AccountStates accountStates,
            String statesTopic,
            Runnable ownershipChanged,
            Consumer<String> requestDone) {
        this.partitions = partitions;
        this.accountStates = accountStates;
        this.statesTopic = statesTopic;
        this.ownershipChanged = ownershipChanged;
        this.requestDone = requestDone;
    }

    @Override
    public void onPartitionsAssigned(
            org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            partitions.assignmentSeen();
            return;
        }
        // This consumer reads uncommitted: the end includes a transaction the previous owner left open, so the
        // requests wait until it is committed or aborted and the registry holds what it committed. The previous
        // owner of request partition p wrote state partition p only.
        List<Integer> numbers = assigned.stream().map(TopicPartition::partition).toList();
        Map<TopicPartition, Long> ends = consumer.endOffsets(numbers.stream()
                .map(number -> new TopicPartition(statesTopic, number))
                .toList());
        consumer.pause(assigned);
        accountStates.hold(numbers);
        for (TopicPartition partition : assigned) {
            partitions.taken(
                    partition,
                    Map.of(partition.partition(), ends.get(new TopicPartition(statesTopic, partition.partition()))));
        }
        partitions.assignmentSeen();
    }

    /** Before the container commits what was acknowledged: the requests under way are answered first. */
    @Override
    public void onPartitionsRevokedBeforeCommit(
            org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
        partitions.disown(revoked);
        ownershipChanged.run();
        // The successor starts after this returns: let the requests under way here be answered first.
        partitions.awaitAnswered(revoked, REVOKE_WAIT, requestDone);
        partitions.commit(revoked);
        forget(revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        partitions.disown(lost);
        ownershipChanged.run();
        forget(lost);
    }

    private void forget(Collection<TopicPartition> gone) {
        partitions.forget(gone);
        accountStates.release(gone.stream().map(TopicPartition::partition).toList());
    }
}
