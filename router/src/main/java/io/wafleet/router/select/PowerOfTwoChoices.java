package io.wafleet.router.select;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Two fitting servers at random, the less utilized of the two (Mitzenmacher): nearly the balance of least
 * utilization at the cost of two lookups. Falls back to a scan when random probes find too few fitting servers.
 */
final class PowerOfTwoChoices implements Balancer {

    private static final int PROBES = 8;

    private final LeastLoaded fallback = new LeastLoaded(LeastLoaded.Measure.UTILIZATION);

    @Override
    public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ServerView first = null;
        ServerView second = null;
        for (int probe = 0; probe < PROBES && second == null; probe++) {
            ServerView server = servers[random.nextInt(n)];
            if (server != first && fits.test(server)) {
                if (first == null) {
                    first = server;
                } else {
                    second = server;
                }
            }
        }
        if (second == null) {
            return fallback.pick(servers, fits, load);
        }
        return first.utilization(load) <= second.utilization(load) ? first : second;
    }
}
