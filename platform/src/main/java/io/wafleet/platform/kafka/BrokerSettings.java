package io.wafleet.platform.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The broker configuration of the embedded single-node KRaft cluster. */
final class BrokerSettings {

    private BrokerSettings() {}

    static Map<String, String> forSingleNode(Path dataDir, int port, int controllerPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("log.dirs", dataDir.resolve("kafka-logs").toString());
        settings.put("num.partitions", "6");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        // One node: every internal topic has one replica, and few partitions so groups and transactions start fast.
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "6");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "6");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        // Tests join groups often; waiting 3 s for more members to arrive only slows them.
        settings.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from wafleet's configuration, so a typo in a topic name is an error, not a new topic.
        settings.put("auto.create.topics.enable", "false");
        settings.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        return settings;
    }
}
