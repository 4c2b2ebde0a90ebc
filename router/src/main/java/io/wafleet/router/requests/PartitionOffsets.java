package io.wafleet.router.requests;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.kafka.support.Acknowledgment;

/**
 * One request partition's offsets while its requests are handled concurrently: the next to read, those still being
 * worked on, and the last committed. What may be committed is the oldest offset still being worked on (or the next to
 * read when none is): a router that dies makes its successor redo only unanswered requests. Used on the consumer's
 * thread only.
 */
final class PartitionOffsets {

    private final TreeSet<Long> working = new TreeSet<>();
    /** The acknowledgements of records read and not yet committed, by offset. */
    private final TreeMap<Long, Acknowledgment> acks = new TreeMap<>();

    private long next = -1;
    private long committed = -1;

    /** A record was read; {@code ack} commits up to and including it. */
    void read(long offset, Acknowledgment ack) {
        next = offset + 1;
        acks.put(offset, ack);
    }

    /** The record at {@code offset} is being worked on. */
    void start(long offset) {
        working.add(offset);
    }

    /** The record at {@code offset} is done; whether it was being worked on. */
    boolean finish(long offset) {
        return working.remove(offset);
    }

    /** How many of its records are being worked on. */
    int inFlight() {
        return working.size();
    }

    /** Acknowledges the record just before the committable offset, if that moved; the container commits it. */
    void commit() {
        if (next < 0) {
            return;
        }
        long committable = working.isEmpty() ? next : working.first();
        if (committable > committed) {
            Map.Entry<Long, Acknowledgment> last = acks.lowerEntry(committable);
            if (last != null) {
                last.getValue().acknowledge();
            }
            acks.headMap(committable).clear();
            committed = committable;
        }
    }
}
