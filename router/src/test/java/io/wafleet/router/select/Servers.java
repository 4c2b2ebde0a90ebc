package io.wafleet.router.select;

import io.wafleet.avro.HealthStatus;
import java.util.Set;

/** Test servers. */
public final class Servers {

    private Servers() {}

    public static ServerView server(String id, int weight, int capacity, int connected) {
        return new ServerView(
                id,
                id,
                "http://" + id,
                HealthStatus.HEALTHY,
                "production",
                "eu",
                Set.of(),
                true,
                1,
                weight,
                capacity,
                connected,
                true,
                null);
    }

    public static ServerView server(
            String id,
            HealthStatus status,
            String environment,
            String location,
            Set<String> tags,
            int priority,
            int capacity,
            int connected) {
        return new ServerView(
                id,
                id,
                "http://" + id,
                status,
                environment,
                location,
                tags,
                true,
                priority,
                1,
                capacity,
                connected,
                true,
                null);
    }
}
