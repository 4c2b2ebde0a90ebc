package io.wafleet.router.balance;

import io.wafleet.router.select.Load;
import io.wafleet.router.select.ServerView;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * nginx's smooth weighted round robin: every pick adds each candidate's weight to its current weight, takes the
 * candidate with the highest current weight and subtracts the total from it. Over any run of picks each server is
 * chosen in proportion to its weight, and heavy servers are spread out rather than picked in bursts.
 */
final class SmoothWeightedRoundRobin implements Balancer {

    private final Map<String, long[]> current = new HashMap<>();

    @Override
    public synchronized ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        ServerView best = null;
        long[] bestWeight = null;
        long total = 0;
        for (ServerView server : servers) {
            if (server.weight() <= 0 || !fits.test(server)) {
                continue;
            }
            long[] weight = current.computeIfAbsent(server.id(), id -> new long[1]);
            weight[0] += server.weight();
            total += server.weight();
            if (best == null || weight[0] > bestWeight[0]) {
                best = server;
                bestWeight = weight;
            }
        }
        if (best != null) {
            bestWeight[0] -= total;
        }
        if (current.size() > 2 * servers.length + 16) {
            // Servers that left the tier: forget them rather than grow forever.
            current.clear();
        }
        return best;
    }
}
