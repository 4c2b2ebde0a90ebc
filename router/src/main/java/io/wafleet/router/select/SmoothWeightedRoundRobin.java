package io.wafleet.router.select;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * nginx's smooth weighted round robin: every pick adds each candidate's weight to its current weight, takes the
 * candidate with the highest current weight and subtracts the total from it. Over any run of picks each server is
 * chosen in proportion to its weight, and heavy servers are spread out rather than picked in bursts. Current weights
 * live in an array parallel to the tier, carried over by server id when a new snapshot brings a new tier.
 */
final class SmoothWeightedRoundRobin implements Balancer {

    private ServerView[] tier = new ServerView[0];
    private long[] current = new long[0];

    @Override
    public synchronized ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        if (servers != tier) {
            follow(servers);
        }
        long[] current = this.current;
        int best = -1;
        long bestCurrent = Long.MIN_VALUE;
        long total = 0;
        for (int i = 0; i < servers.length; i++) {
            ServerView server = servers[i];
            int weight = server.weight();
            if (weight <= 0 || !fits.test(server)) {
                continue;
            }
            long raised = current[i] + weight;
            current[i] = raised;
            total += weight;
            if (raised > bestCurrent) {
                best = i;
                bestCurrent = raised;
            }
        }
        if (best < 0) {
            return null;
        }
        current[best] -= total;
        return servers[best];
    }

    /** Takes a new snapshot's tier, keeping each remaining server's current weight. */
    private void follow(ServerView[] servers) {
        Map<String, Long> previous = new HashMap<>(tier.length * 2);
        for (int i = 0; i < tier.length; i++) {
            previous.put(tier[i].id(), current[i]);
        }
        long[] next = new long[servers.length];
        for (int i = 0; i < servers.length; i++) {
            next[i] = previous.getOrDefault(servers[i].id(), 0L);
        }
        tier = servers;
        current = next;
    }
}
