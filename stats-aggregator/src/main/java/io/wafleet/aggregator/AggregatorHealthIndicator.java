package io.wafleet.aggregator;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Readiness: UP while the streams run with their tasks assigned and state restored; the state as detail. */
final class AggregatorHealthIndicator implements HealthIndicator {

    private final AggregatorStreams streams;

    AggregatorHealthIndicator(AggregatorStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams.State state = streams.state();
        Health.Builder health = state == KafkaStreams.State.RUNNING ? Health.up() : Health.down();
        return health.withDetail("state", state.name())
                .withDetail(
                        "threads", streams.streams().metadataForLocalThreads().size())
                .build();
    }
}
