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

    @Override
    public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        int start = ThreadLocalRandom.current().nextInt(n);
        ServerView best = null;
        double bestLoad = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            ServerView server = servers[(start + i) % n];
            if (!fits.test(server)) {
                continue;
            }
            double value = measure == Measure.CONNECTIONS ? server.load(load) : server.utilization(load);
            if (value < bestLoad) {
                best = server;
                bestLoad = value;
            }
        }
        return best;
    }
}
