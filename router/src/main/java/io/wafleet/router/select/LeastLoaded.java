package io.wafleet.router.select;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The fitting server with the fewest accounts ({@code least_connections}) or the lowest share of its capacity in use
 * ({@code least_utilization}), counting accounts assigned but not yet reported. Ties go to a random one of them, so
 * equal servers do not all receive the same burst.
 */
final class LeastLoaded implements Balancer {

    enum Measure {
        CONNECTIONS,
        UTILIZATION
    }

    private final Measure measure;

    LeastLoaded(Measure measure) {
        this.measure = measure;
    }

    /**
     * From a random start around the tier (the index wraps by a compare, not a division). The measure is a fraction,
     * load over capacity (over 1 for least connections; 1 / 1 for a server without capacity), compared exactly by
     * cross-multiplying, and before the fit test: only a server that would be the new best has to fit.
     */
    @Override
    public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        boolean connections = measure == Measure.CONNECTIONS;
        ServerView best = null;
        long bestLoad = 0;
        long bestOver = 1;
        for (int k = 0, i = ThreadLocalRandom.current().nextInt(n); k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            ServerView server = servers[i];
            int capacity = server.capacity();
            long measured = connections || capacity > 0 ? server.load(load) : 1;
            long over = connections || capacity <= 0 ? 1 : capacity;
            if ((best == null || measured * bestOver < bestLoad * over) && fits.test(server)) {
                best = server;
                bestLoad = measured;
                bestOver = over;
            }
        }
        return best;
    }
}
