package io.wafleet.router.select;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Weighted round robin for large tiers, in O(log n) a pick: each server has a deadline that grows by 1/weight each
 * time it is picked (stride scheduling), and the earliest deadline that fits is picked. Servers are chosen in
 * proportion to their weights and interleaved as smoothly as nginx's pass over the tier, which costs O(n).
 * Servers passed over because they did not fit rejoin at the current virtual time, so they get no burst later.
 */
final class EarliestDeadlineWrr implements Balancer {

    private static final double UNIT = 1.0;

    private static final class Entry {
        final int index;
        double deadline;

        Entry(int index, double deadline) {
            this.index = index;
            this.deadline = deadline;
        }
    }

    private ServerView[] tier = new ServerView[0];
    private PriorityQueue<Entry> queue = new PriorityQueue<>(EarliestDeadlineWrr::compare);
    private double now;

    private static int compare(Entry a, Entry b) {
        int byDeadline = Double.compare(a.deadline, b.deadline);
        return byDeadline != 0 ? byDeadline : Integer.compare(a.index, b.index);
    }

    @Override
    public synchronized ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        if (servers != tier) {
            follow(servers);
        }
        List<Entry> passed = List.of();
        Entry chosen = null;
        while (!queue.isEmpty()) {
            Entry entry = queue.poll();
            if (fits.test(servers[entry.index])) {
                chosen = entry;
                break;
            }
            if (passed.isEmpty()) {
                passed = new ArrayList<>();
            }
            passed.add(entry);
        }
        if (chosen != null) {
            now = chosen.deadline;
            chosen.deadline += UNIT / servers[chosen.index].weight();
            queue.add(chosen);
        }
        for (Entry entry : passed) {
            entry.deadline = Math.max(entry.deadline, now);
            queue.add(entry);
        }
        return chosen == null ? null : servers[chosen.index];
    }

    /** Takes a new snapshot's tier, keeping each remaining server's deadline. */
    private void follow(ServerView[] servers) {
        Map<String, Double> previous = new HashMap<>(tier.length * 2);
        for (Entry entry : queue) {
            previous.put(tier[entry.index].id(), entry.deadline);
        }
        PriorityQueue<Entry> next = new PriorityQueue<>(Math.max(1, servers.length), EarliestDeadlineWrr::compare);
        for (int i = 0; i < servers.length; i++) {
            if (servers[i].weight() > 0) {
                double start = now + UNIT / (2.0 * servers[i].weight());
                next.add(new Entry(i, previous.getOrDefault(servers[i].id(), start)));
            }
        }
        tier = servers;
        queue = next;
    }
}
