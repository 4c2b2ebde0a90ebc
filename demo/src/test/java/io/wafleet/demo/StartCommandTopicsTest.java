package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.WafleetProperties;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./wafleet start} creates the topics in the shape the capacity plan asks for ({@code --partitions},
 * {@code --replication-factor}, or each topic's own variables, which win), and says how existing topics differ.
 */
class StartCommandTopicsTest {

    @Test
    void optionsStandForEveryTopicWithoutItsOwnSetting() {
        Map<String, String> env = Map.of("WAFLEET_TOPICS_DEADLETTERS_PARTITIONS", "2");

        Map<String, String> shapes = StartCommand.topicShapes(env, 12, (short) 1);

        assertThat(shapes)
                .containsEntry("WAFLEET_TOPICS_CONNECTIONREQUESTS_PARTITIONS", "12")
                .containsEntry("WAFLEET_TOPICS_SERVERCONFIGS_REPLICATIONFACTOR", "1")
                .doesNotContainKey("WAFLEET_TOPICS_DEADLETTERS_PARTITIONS")
                .hasSize(TopicsConfig.KEYS.size() * 2 - 1);
        assertThat(StartCommand.topicShapes(env, null, null)).isEmpty();
    }

    @Test
    void createsTheTopicsInTheirConfiguredShapeAndReportsExistingOnesThatDiffer(@TempDir Path data) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), List.of("-Xmx320m", "-XX:+UseSerialGC"));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "WAFLEET_TOPICS_DEADLETTERS_PARTITIONS", "2",
                    "WAFLEET_TOPICS_CONNECTIONEVENTS_NAME", "acme.connection-events"));
            env.putAll(StartCommand.topicShapes(env, 12, null));
            TopicsConfig topics = WafleetProperties.topicsFromEnvironment(env);

            List<String> report = StartCommand.ensureTopics(admin, topics);

            assertThat(report).hasSize(1);
            assertThat(report.get(0)).startsWith("topics: created [").contains("acme.connection-events");
            Map<String, TopicDescription> described = admin.describeTopics(List.of(
                            "wa.connection-requests", "acme.connection-events", "wa.dead-letters", "wa.server-configs"))
                    .allTopicNames()
                    .get();
            assertThat(described.get("wa.connection-requests").partitions()).hasSize(12);
            assertThat(described.get("acme.connection-events").partitions()).hasSize(12);
            assertThat(described.get("wa.dead-letters").partitions()).hasSize(2);
            ConfigResource serverConfigs = new ConfigResource(ConfigResource.Type.TOPIC, "wa.server-configs");
            assertThat(admin.describeConfigs(List.of(serverConfigs))
                            .all()
                            .get()
                            .get(serverConfigs)
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");

            assertThat(StartCommand.ensureTopics(admin, topics)).containsExactly("topics: all there");

            Map<String, String> more = new HashMap<>(env);
            more.put("WAFLEET_TOPICS_CONNECTIONREQUESTS_PARTITIONS", "24");
            // The accounts' state and messages are partitioned as the requests are: one is not configured without
            // the others, and every mismatch is named at once.
            assertThatThrownBy(() -> WafleetProperties.topicsFromEnvironment(more))
                    .hasMessageContaining("topic wa.account-state must be compacted and have as many partitions as"
                            + " wa.connection-requests (24), had 12")
                    .hasMessageContaining("topic wa.outbound-messages must have as many partitions as"
                            + " wa.connection-requests (24), had 12")
                    .hasMessageContaining("topic wa.message-progress must be compacted and have as many partitions as"
                            + " wa.connection-requests (24), had 12");
            more.put("WAFLEET_TOPICS_ACCOUNTSTATE_PARTITIONS", "24");
            more.put("WAFLEET_TOPICS_OUTBOUNDMESSAGES_PARTITIONS", "24");
            more.put("WAFLEET_TOPICS_MESSAGEPROGRESS_PARTITIONS", "24");
            assertThat(StartCommand.ensureTopics(admin, WafleetProperties.topicsFromEnvironment(more)))
                    .containsExactly(
                            "topics: all there",
                            "topics: wa.connection-requests has 12 partitions × 1 replicas; configured 24 × 1",
                            "topics: wa.account-state has 12 partitions × 1 replicas; configured 24 × 1",
                            "topics: wa.outbound-messages has 12 partitions × 1 replicas; configured 24 × 1",
                            "topics: wa.message-progress has 12 partitions × 1 replicas; configured 24 × 1",
                            "topics: existing topics are left as they are (kafka-topics.sh --alter adds partitions,"
                                    + " which moves keys between them)");
        }
    }
}
