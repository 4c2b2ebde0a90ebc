package io.wafleet.schemas;

import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.LbRule;
import io.wafleet.avro.MessageEvent;
import io.wafleet.avro.MessageProgress;
import io.wafleet.avro.OutboundMessage;
import io.wafleet.avro.RouterMember;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerNotice;
import io.wafleet.avro.ServerStats;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * wafleet's typed topic descriptors, built once from configuration. Keys are strings; values are Avro records,
 * single-object encoded ({@link AvroSerde}) or, with a schema registry, in the Confluent wire format
 * ({@link ConfluentSerde}, which reads both); dead letters keep the raw bytes of what could not be read.
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
    private final Topic<String, AccountStateRecord> accountState;
    private final Topic<String, RouterMember> routerMembers;
    private final Topic<String, ServerNotice> serverNotices;
    private final Topic<String, OutboundMessage> outboundMessages;
    private final Topic<String, MessageEvent> messageEvents;
    private final Topic<String, MessageProgress> messageProgress;

    /** Descriptors whose values are single-object encoded (the default, without a schema registry). */
    public Topics(TopicsConfig config) {
        this(config, null);
    }

    /**
     * Descriptors whose values are in the Confluent wire format with the registry the settings name (registering
     * every topic's schemas there now): see {@link ConfluentSerde}.
     */
    public static Topics withRegistry(TopicsConfig config, SchemaRegistrySettings settings) {
        return new Topics(config, new SchemaRegistration(settings, new SchemaRegistryClient(settings)));
    }

    private Topics(TopicsConfig config, SchemaRegistration registry) {
        this.config = config;
        Serde<String> keys = Serdes.String();
        this.serverConfigs = topic(config.serverConfigs(), keys, ServerConfig.class, registry, false);
        this.lbRules = topic(config.lbRules(), keys, LbRule.class, registry, false);
        this.healthChecks = topic(config.healthChecks(), keys, HealthCheck.class, registry, false);
        this.serverStats = topic(config.serverStats(), keys, ServerStats.class, registry, false);
        this.serverMetrics = topic(config.serverMetrics(), keys, ServerMetrics.class, registry, false);
        this.serverHealth = topic(config.serverHealth(), keys, ServerHealth.class, registry, false);
        this.serverEvents = topic(config.serverEvents(), keys, ServerEvent.class, registry, false);
        this.connectionRequests = topic(config.connectionRequests(), keys, ConnectionRequest.class, registry, true);
        this.connectionEvents = topic(config.connectionEvents(), keys, ConnectionEvent.class, registry, false);
        this.deadLetters = new Topic<>(config.deadLetters().name(), Serdes.ByteArray(), Serdes.ByteArray());
        this.accountState = topic(config.accountState(), keys, AccountStateRecord.class, registry, false);
        this.routerMembers = topic(config.routerMembers(), keys, RouterMember.class, registry, false);
        this.serverNotices = topic(config.serverNotices(), keys, ServerNotice.class, registry, false);
        this.outboundMessages = topic(config.outboundMessages(), keys, OutboundMessage.class, registry, true);
        this.messageEvents = topic(config.messageEvents(), keys, MessageEvent.class, registry, false);
        this.messageProgress = topic(config.messageProgress(), keys, MessageProgress.class, registry, false);
    }

    private static <T extends SpecificRecord> Topic<String, T> topic(
            TopicSpec spec, Serde<String> keys, Class<T> type, SchemaRegistration registry, boolean acceptJson) {
        AvroSerde<T> singleObject = acceptJson ? AvroSerde.withJson(type) : AvroSerde.of(type);
        Serde<T> values = registry == null ? singleObject : registry.serde(spec.name(), type, singleObject);
        return new Topic<>(spec.name(), keys, values);
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

    /** Each account's current state (compacted; written by the owner of the account's request partition). */
    public Topic<String, AccountStateRecord> accountState() {
        return accountState;
    }

    public Topic<String, RouterMember> routerMembers() {
        return routerMembers;
    }

    /** What servers pushed (webhooks, Evolution's Kafka events), normalized: key accountId, or serverId. */
    public Topic<String, ServerNotice> serverNotices() {
        return serverNotices;
    }

    /** Messages to send (Avro or JSON), key accountId: sent by the account's owner. */
    public Topic<String, OutboundMessage> outboundMessages() {
        return outboundMessages;
    }

    /** The steps of every outbound message, key accountId. */
    public Topic<String, MessageEvent> messageEvents() {
        return messageEvents;
    }

    /** How far each account's messages are handled (compacted, written by the account's owner). */
    public Topic<String, MessageProgress> messageProgress() {
        return messageProgress;
    }
}
