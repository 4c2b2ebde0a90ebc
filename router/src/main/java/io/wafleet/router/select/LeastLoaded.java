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
     * From a random start around the tier (the index wraps by a compare, not a division). The measure is compared
     * before the fit test: only a server that would be the new best has to fit.
     */
    @Override
    public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        int start = ThreadLocalRandom.current().nextInt(n);
        return measure == Measure.CONNECTIONS
                ? fewestAccounts(servers, start, fits, load)
                : leastUtilized(servers, start, fits, load);
    }

    private static ServerView fewestAccounts(ServerView[] servers, int start, Predicate<ServerView> fits, Load load) {
        int n = servers.length;
        ServerView best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int k = 0, i = start; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            ServerView server = servers[i];
            int accounts = server.load(load);
            if (accounts < bestLoad && fits.test(server)) {
                best = server;
                bestLoad = accounts;
            }
        }
        return best;
    }

    /**
     * Utilization as the exact fraction load / capacity (1 / 1 for a server without capacity), compared by
     * cross-multiplying.
     */
    private static ServerView leastUtilized(ServerView[] servers, int start, Predicate<ServerView> fits, Load load) {
        int n = servers.length;
        ServerView best = null;
        long bestLoad = 1;
        long bestCapacity = 0; // nothing yet: any fraction is less than 1 / 0
        for (int k = 0, i = start; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            ServerView server = servers[i];
            int capacity = server.capacity();
            long accounts = capacity > 0 ? server.load(load) : 1;
            long over = capacity > 0 ? capacity : 1;
            if (accounts * bestCapacity < bestLoad * over && fits.test(server)) {
                best = server;
                bestLoad = accounts;
                bestCapacity = over;
            }
        }
        return best;
    }
}
