package io.wafleet.sink;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The sink's own health, part of readiness: DOWN when its consumer loop has stopped or while database writes fail
 * (it is paused, retrying); with whether this instance runs CDC or stands by.
 */
final class AuditSinkHealthIndicator implements HealthIndicator {

    private final AuditSink sink;
    private final ObjectProvider<CdcEngine> cdc;

    AuditSinkHealthIndicator(AuditSink sink, ObjectProvider<CdcEngine> cdc) {
        this.sink = sink;
        this.cdc = cdc;
    }

    @Override
    public Health health() {
        Health.Builder health = !sink.isRunning()
                ? Health.down().withDetail("sink", "stopped")
                : sink.isPaused()
                        ? Health.down().withDetail("sink", "paused: database writes failing, retrying")
                        : Health.up().withDetail("sink", "consuming");
        CdcEngine engine = cdc.getIfAvailable();
        health.withDetail("cdc", engine == null ? "disabled" : engine.isLeading() ? "leading" : "standby");
        return health.build();
    }
}
