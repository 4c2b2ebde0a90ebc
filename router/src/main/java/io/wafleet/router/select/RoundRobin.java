package io.wafleet.router.select;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** Each pick starts one server further than the last and takes the first that fits. */
final class RoundRobin implements Balancer {

    private final AtomicLong next = new AtomicLong();

    @Override
    public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
        for (int i = 0; i < n; i++) {
            ServerView server = servers[(start + i) % n];
            if (fits.test(server)) {
                return server;
            }
        }
        return null;
    }
}
