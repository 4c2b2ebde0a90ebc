package io.wafleet.sink;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit sink's settings ({@code wafleet.sink.*}).
 *
 * @param groupId the consumer group of the sink instances
 * @param maxPollRecords records per batch (one database transaction)
 * @param pollTimeout how long a poll waits for records
 * @param retryInitial first wait after a failed database write; doubles up to {@code retryMax}
 * @param retryMax longest wait between database retries
 * @param retentionDays time-series days kept; older daily partitions are dropped
 * @param maintenanceInterval how often partitions are created ahead and retention applied
 * @param partitionDaysAhead how many days of partitions exist ahead of today
 * @param writerConnections transactions (database connections) a batch is written with at once
 */
@ConfigurationProperties("wafleet.sink")
public record SinkProperties(
        String groupId,
        int maxPollRecords,
        Duration pollTimeout,
        Duration retryInitial,
        Duration retryMax,
        int retentionDays,
        Duration maintenanceInterval,
        int partitionDaysAhead,
        int writerConnections) {

    public SinkProperties {
        groupId = groupId == null ? "wafleet-event-sink" : groupId;
        maxPollRecords = maxPollRecords <= 0 ? 2000 : maxPollRecords;
        pollTimeout = pollTimeout == null ? Duration.ofMillis(500) : pollTimeout;
        retryInitial = retryInitial == null ? Duration.ofMillis(200) : retryInitial;
        retryMax = retryMax == null ? Duration.ofSeconds(10) : retryMax;
        retentionDays = retentionDays <= 0 ? 30 : retentionDays;
        maintenanceInterval = maintenanceInterval == null ? Duration.ofHours(1) : maintenanceInterval;
        partitionDaysAhead = partitionDaysAhead <= 0 ? 7 : partitionDaysAhead;
        writerConnections = writerConnections <= 0 ? 2 : writerConnections;
    }
}
