package io.wafleet.router;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Readiness: DOWN until the health table has been read up to where it stood at start. */
final class FleetHealthIndicator implements HealthIndicator {

    private final FleetState state;

    FleetHealthIndicator(FleetState state) {
        this.state = state;
    }

    @Override
    public Health health() {
        return (state.isCaughtUp() ? Health.up() : Health.down())
                .withDetail("servers", state.fleet().size())
                .withDetail("healthTableLoaded", state.isCaughtUp())
                .build();
    }
}
