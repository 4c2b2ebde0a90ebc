package io.wafleet.router.messages;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messages of one wa.outbound-messages partition read and not yet done, in order per account, and what may be
 * committed: the offset of the oldest message not done, or the next to read when every one is. Used on the message
 * worker's thread only.
 */
final class PartitionQueues {

    private final Map<String, Deque<Pending>> byAccount = new LinkedHashMap<>();
    private final Map<Long, Pending> byOffset = new HashMap<>();
    private final java.util.TreeSet<Long> open = new java.util.TreeSet<>();
    private long next = -1;
    boolean paused;

    /** A record at {@code offset} was read (handled at once, or added). */
    void read(long offset) {
        next = Math.max(next, offset + 1);
    }

    void add(Pending pending) {
        byAccount.computeIfAbsent(pending.accountId(), id -> new ArrayDeque<>()).addLast(pending);
        byOffset.put(pending.offset, pending);
        open.add(pending.offset);
    }

    /** The message is done: it leaves its account's queue (it is the head: an account's messages go in order). */
    void done(Pending pending) {
        Deque<Pending> queue = byAccount.get(pending.accountId());
        if (queue != null) {
            queue.remove(pending);
            if (queue.isEmpty()) {
                byAccount.remove(pending.accountId());
            }
        }
        byOffset.remove(pending.offset);
        open.remove(pending.offset);
    }

    /** Each account's first message not done. */
    Collection<Deque<Pending>> queues() {
        return byAccount.values();
    }

    int buffered() {
        return open.size();
    }

    /** The offset to commit, or -1 when nothing was read. */
    long committable() {
        if (next < 0) {
            return -1;
        }
        return open.isEmpty() ? next : open.first();
    }
}
