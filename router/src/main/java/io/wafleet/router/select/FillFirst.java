package io.wafleet.router.select;

import java.util.function.Predicate;

/**
 * Bin packing, as HAProxy's {@code first}: the first server in the tier's fixed order (by name) that fits, so
 * servers fill up one after another and the last ones stay empty (they can be scaled in).
 */
final class FillFirst implements Balancer {

    @Override
    public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
        for (ServerView server : servers) {
            if (fits.test(server)) {
                return server;
            }
        }
        return null;
    }
}
