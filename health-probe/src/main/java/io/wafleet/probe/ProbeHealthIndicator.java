package io.wafleet.probe;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Readiness of a worker: it has read the configs of its partitions; with how many servers it probes. */
final class ProbeHealthIndicator implements HealthIndicator {

    private final ConfigConsumer consumer;
    private final ProbeScheduler scheduler;

    ProbeHealthIndicator(ConfigConsumer consumer, ProbeScheduler scheduler) {
        this.consumer = consumer;
        this.scheduler = scheduler;
    }

    @Override
    public Health health() {
        Health.Builder health = consumer.isRunning() && consumer.isCaughtUp() ? Health.up() : Health.down();
        return health.withDetail("serversOwned", scheduler.owned())
                .withDetail("configsRead", consumer.isCaughtUp())
                .build();
    }
}
