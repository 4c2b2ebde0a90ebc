package io.wafleet.router.select;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Least connections or least utilization for large tiers, in O(log n) a pick: the tier in a heap by load, built when
 * a new snapshot brings a new tier (reported accounts plus those assigned but not reported at that moment), and each
 * pick adds one account to the chosen server's load. Between snapshots it is exact for the accounts this router
 * assigns; the next snapshot brings in everything else.
 */
final class LoadHeap implements Balancer {

    private final LeastLoaded.Measure measure;

    private static final class Entry {
        final ServerView server;
        int load;

        Entry(ServerView server, int load) {
            this.server = server;
            this.load = load;
        }
    }

    private ServerView[] tier;
    private PriorityQueue<Entry> queue;

    LoadHeap(LeastLoaded.Measure measure) {
        this.measure = measure;
    }

    private double value(Entry entry) {
        if (measure == LeastLoaded.Measure.CONNECTIONS) {
            return entry.load;
        }
        return entry.server.capacity() <= 0 ? 1.0 : (double) entry.load / entry.server.capacity();
    }

    @Override
    public synchronized ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        if (servers != tier) {
            tier = servers;
            queue = new PriorityQueue<>(Math.max(1, servers.length), (a, b) -> Double.compare(value(a), value(b)));
            for (ServerView server : servers) {
                queue.add(new Entry(server, server.load(load)));
            }
        }
        List<Entry> passed = new ArrayList<>();
        Entry chosen = null;
        while (!queue.isEmpty()) {
            Entry entry = queue.poll();
            if (fits.test(entry.server)) {
                chosen = entry;
                break;
            }
            passed.add(entry);
        }
        if (chosen != null) {
            chosen.load++;
            queue.add(chosen);
        }
        queue.addAll(passed);
        return chosen == null ? null : chosen.server;
    }
}
