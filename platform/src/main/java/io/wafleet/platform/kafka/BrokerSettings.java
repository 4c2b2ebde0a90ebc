package io.wafleet.platform.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The broker configuration of the embedded single-node KRaft cluster. */
final class BrokerSettings {

    private BrokerSettings() {}

    static Map<String, String> forSingleNode(Path dataDir, int port, int controllerPort) {
        return forSingleNode(dataDir, port, controllerPort, 0, null);
    }

    /** With a SASL_SSL listener on {@code securePort} as well, when {@code secure} is given. */
    static Map<String, String> forSingleNode(
            Path dataDir, int port, int controllerPort, int securePort, SaslSslListener secure) {
        Map<String, String> settings = new LinkedHashMap<>();
        String extra = secure == null ? "" : ",SASL_SSL://127.0.0.1:" + securePort;
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.put(
                "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + extra);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + extra);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (secure == null ? "" : ",SASL_SSL:SASL_SSL"));
        if (secure != null) {
            settings.putAll(secure.settings(securePort));
        }
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
