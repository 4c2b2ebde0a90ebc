package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerStats;

/**
 * What the health processor reads, all keyed by serverId and co-partitioned: a config (null when deleted), a check,
 * a stats sample, or a closed latency window of the server. Only passed in memory, never serialized.
 */
sealed interface HealthInput {

    record Config(ServerConfig config) implements HealthInput {}

    record Check(HealthCheck check) implements HealthInput {}

    record Stats(ServerStats stats) implements HealthInput {}

    record Window(ServerMetrics metrics) implements HealthInput {}
}
