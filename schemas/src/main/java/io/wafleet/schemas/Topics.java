package io.wafleet.schemas;

import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.LbRule;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerStats;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * wafleet's typed topic descriptors, built once from configuration. Keys are strings; values use the record serdes
 * of {@link AvroSerde}; dead letters keep the raw bytes of what could not be read.
 */
public final class Topics {

    private final TopicsConfig config;
    private final Topic<String, ServerConfig> serverConfigs;
    private final Topic<String, LbRule> lbRules;
    private final Topic<String, HealthCheck> healthChecks;
    private final Topic<String, ServerStats> serverStats;
    private final Topic<String, ServerMetrics> serverMetrics;
    private final Topic<String, ServerHealth> serverHealth;
    private final Topic<String, ServerEvent> serverEvents;
    private final Topic<String, ConnectionRequest> connectionRequests;
    private final Topic<String, ConnectionEvent> connectionEvents;
    private final Topic<byte[], byte[]> deadLetters;

    public Topics(TopicsConfig config) {
        this.config = config;
        Serde<String> keys = Serdes.String();
        this.serverConfigs = new Topic<>(config.serverConfigs().name(), keys, AvroSerde.of(ServerConfig.class));
        this.lbRules = new Topic<>(config.lbRules().name(), keys, AvroSerde.of(LbRule.class));
        this.healthChecks = new Topic<>(config.healthChecks().name(), keys, AvroSerde.of(HealthCheck.class));
        this.serverStats = new Topic<>(config.serverStats().name(), keys, AvroSerde.of(ServerStats.class));
        this.serverMetrics = new Topic<>(config.serverMetrics().name(), keys, AvroSerde.of(ServerMetrics.class));
        this.serverHealth = new Topic<>(config.serverHealth().name(), keys, AvroSerde.of(ServerHealth.class));
        this.serverEvents = new Topic<>(config.serverEvents().name(), keys, AvroSerde.of(ServerEvent.class));
        this.connectionRequests =
                new Topic<>(config.connectionRequests().name(), keys, AvroSerde.withJson(ConnectionRequest.class));
        this.connectionEvents =
                new Topic<>(config.connectionEvents().name(), keys, AvroSerde.of(ConnectionEvent.class));
        this.deadLetters = new Topic<>(config.deadLetters().name(), Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** Descriptors at the default names. */
    public static Topics defaults() {
        return new Topics(TopicsConfig.defaults());
    }

    public TopicsConfig config() {
        return config;
    }

    public Topic<String, ServerConfig> serverConfigs() {
        return serverConfigs;
    }

    public Topic<String, LbRule> lbRules() {
        return lbRules;
    }

    public Topic<String, HealthCheck> healthChecks() {
        return healthChecks;
    }

    public Topic<String, ServerStats> serverStats() {
        return serverStats;
    }

    public Topic<String, ServerMetrics> serverMetrics() {
        return serverMetrics;
    }

    public Topic<String, ServerHealth> serverHealth() {
        return serverHealth;
    }

    public Topic<String, ServerEvent> serverEvents() {
        return serverEvents;
    }

    public Topic<String, ConnectionRequest> connectionRequests() {
        return connectionRequests;
    }

    public Topic<String, ConnectionEvent> connectionEvents() {
        return connectionEvents;
    }

    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }
}
