package io.wafleet.aggregator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The stats-aggregator service's settings ({@code wafleet.aggregator.*}).
 *
 * @param applicationId the Streams application id: group, transactional ids and internal topic prefix
 * @param stateDir where the state stores live (RocksDB); restored from their changelogs when lost
 * @param streamThreads stream threads of this instance; partitions are shared over all instances' threads
 * @param commitInterval how often tasks commit. Under exactly-once, output becomes visible to read_committed readers
 *     (the router, the sink) only at a commit, so this bounds how late a status change shows: 100 ms keeps it well
 *     within the 1 s the health table promises, and larger values only batch transactions more
 * @param windows the latency windows
 * @param health the state machine's rules and alert thresholds
 * @param streams any other Kafka Streams setting, passed through as is (e.g. {@code num.standby.replicas})
 */
@ConfigurationProperties("wafleet.aggregator")
public record AggregatorProperties(
        String applicationId,
        Path stateDir,
        int streamThreads,
        Duration commitInterval,
        WindowSettings windows,
        HealthRules health,
        Map<String, String> streams) {

    public AggregatorProperties {
        applicationId = applicationId == null ? "wafleet-stats-aggregator" : applicationId;
        stateDir = stateDir == null ? Path.of(System.getProperty("java.io.tmpdir"), "wafleet-aggregator") : stateDir;
        streamThreads = streamThreads <= 0 ? 1 : streamThreads;
        commitInterval = commitInterval == null ? Duration.ofMillis(100) : commitInterval;
        windows = windows == null ? WindowSettings.defaults() : windows;
        health = health == null ? HealthRules.defaults() : health;
        streams = streams == null ? Map.of() : Map.copyOf(streams);
    }

    public AggregatorConfig topologyConfig() {
        return new AggregatorConfig(windows, health);
    }
}
