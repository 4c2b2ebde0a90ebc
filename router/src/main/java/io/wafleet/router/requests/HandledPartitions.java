package io.wafleet.router.requests;

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
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * The request partitions assigned to this instance: each waits until the registry holds its accounts' states (the
 * end offsets it had when taken), then is handled, with its requests in flight and the offsets they allow to commit.
 * Used on the request consumer's thread, except {@link #finished} (any thread) and {@link #owned} (read anywhere).
 */
final class HandledPartitions {

    /** A request (or its dead letter) that is done. */
    record Done(TopicPartition partition, long offset, String requestKey) {}

    private final Map<TopicPartition, PartitionOffsets> offsets = new HashMap<>();
    private final Map<TopicPartition, Map<Integer, Long>> waiting = new HashMap<>();
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private int inFlight;
    private volatile boolean assigned;
    private volatile boolean settledOnce;

    /** The group gave this instance its partitions (perhaps none). */
    void assignmentSeen() {
        assigned = true;
        settleOnce();
    }

    /** Whether, once, the group had given this instance its partitions and every one of them was handled. */
    boolean settledOnce() {
        return settledOnce;
    }

    private void settleOnce() {
        if (assigned && waiting.isEmpty()) {
            settledOnce = true;
        }
    }

    /** A partition assigned: it waits for the registry to have read the states up to {@code ends}. */
    void taken(TopicPartition partition, Map<Integer, Long> ends) {
        offsets.put(partition, new PartitionOffsets());
        waiting.put(partition, ends);
    }

    /** The partition's offsets, or null when it is no longer assigned here. */
    PartitionOffsets offsets(TopicPartition partition) {
        return offsets.get(partition);
    }

    boolean isWaiting(TopicPartition partition) {
        return waiting.containsKey(partition);
    }

    /** The waiting partitions whose ends {@code read} says were read: handled from now on, returned. */
    List<TopicPartition> admit(Predicate<Map<Integer, Long>> read) {
        List<TopicPartition> ready = new ArrayList<>();
        waiting.forEach((partition, ends) -> {
            if (read.test(ends)) {
                ready.add(partition);
            }
        });
        for (TopicPartition partition : ready) {
            waiting.remove(partition);
            owned.add(partition.partition());
        }
        settleOnce();
        return ready;
    }

    boolean anyWaiting() {
        return !waiting.isEmpty();
    }

    /** The partition numbers handled here now, in order. */
    Set<Integer> owned() {
        return new TreeSet<>(owned);
    }

    boolean owns(int partition) {
        return owned.contains(partition);
    }

    /** A record of the partition is being worked on. */
    void started(PartitionOffsets partitionOffsets, long offset) {
        partitionOffsets.start(offset);
        inFlight++;
    }

    /** A record is done (from any thread): taken in at the next {@link #settle}. */
    void finished(Done finished) {
        done.add(finished);
    }

    /** Requests being worked on, over every partition. */
    int inFlight() {
        return inFlight;
    }

    /** Takes in what finished since the last look; {@code requestDone} gets each finished request's key. */
    void settle(Consumer<String> requestDone) {
        for (Done finished = done.poll(); finished != null; finished = done.poll()) {
            settle(finished, requestDone);
        }
    }

    private void settle(Done finished, Consumer<String> requestDone) {
        if (finished.requestKey() != null) {
            requestDone.accept(finished.requestKey());
        }
        PartitionOffsets partitionOffsets = offsets.get(finished.partition());
        if (partitionOffsets != null && partitionOffsets.finish(finished.offset())) {
            inFlight--;
        }
    }

    /** Waits, up to {@code atMost}, until the partitions' requests under way are answered. */
    void awaitAnswered(Collection<TopicPartition> partitions, Duration atMost, Consumer<String> requestDone) {
        long until = System.nanoTime() + atMost.toNanos();
        try {
            while (partitions.stream()
                            .anyMatch(p ->
                                    offsets.containsKey(p) && offsets.get(p).inFlight() > 0)
                    && System.nanoTime() < until) {
                Done finished = done.poll(50, TimeUnit.MILLISECONDS);
                if (finished != null) {
                    settle(finished, requestDone);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Acknowledges each partition's committable offset (every partition's when {@code partitions} is null). */
    void commit(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions == null ? offsets.keySet() : partitions) {
            PartitionOffsets partitionOffsets = offsets.get(partition);
            if (partitionOffsets != null) {
                partitionOffsets.commit();
            }
        }
    }

    /** No longer handled here: not owned (at once), then forgotten with their requests in flight. */
    void disown(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> owned.remove(partition.partition()));
    }

    void forget(Collection<TopicPartition> partitions) {
        disown(partitions);
        for (TopicPartition partition : partitions) {
            PartitionOffsets gone = offsets.remove(partition);
            if (gone != null) {
                inFlight -= gone.inFlight();
            }
            waiting.remove(partition);
        }
    }
}
