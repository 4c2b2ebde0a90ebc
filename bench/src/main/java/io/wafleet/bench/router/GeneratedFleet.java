package io.wafleet.bench.router;

import io.wafleet.avro.HealthStatus;
import io.wafleet.router.select.ServerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The benchmarks' fleet: servers over 3 environments (all in {@code production} when there are 10 or fewer) and 3
 * locations, 2 priority tiers, 10 % UNHEALTHY, weights 1–10, capacity 2,000 and random load; seeded, so every run
 * is the same.
 */
final class GeneratedFleet {

    private GeneratedFleet() {}

    static List<ServerView> of(int servers) {
        Random random = new Random(1);
        String[] environments = {"production", "staging", "development"};
        String[] locations = {"eu", "us", "ap"};
        List<ServerView> views = new ArrayList<>(servers);
        for (int i = 0; i < servers; i++) {
            views.add(new ServerView(
                    "srv-" + i,
                    "server-" + i,
                    "http://10.0.0.1:" + i,
                    random.nextInt(10) == 0 ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY,
                    servers <= 10 ? "production" : environments[i % 3],
                    locations[(i / 3) % 3],
                    i % 2 == 0 ? Set.of("primary") : Set.of("backup"),
                    true,
                    1 + random.nextInt(2),
                    1 + random.nextInt(10),
                    2_000,
                    random.nextInt(1_900),
                    true,
                    null));
        }
        return views;
    }
}
