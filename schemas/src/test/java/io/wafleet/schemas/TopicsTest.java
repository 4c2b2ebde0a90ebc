package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Topic names and shapes come from configuration, with ARCHITECTURE.md's table as the default. */
class TopicsTest {

    @Test
    void defaultsFollowTheTopicTable() {
        TopicsConfig config = TopicsConfig.defaults();

        assertThat(config.all())
                .extracting(TopicSpec::name)
                .containsExactly(
                        "wa.server-configs",
                        "wa.lb-rules",
                        "wa.health-checks",
                        "wa.server-stats",
                        "wa.server-metrics",
                        "wa.server-health",
                        "wa.server-events",
                        "wa.connection-requests",
                        "wa.connection-events",
                        "wa.dead-letters");
        assertThat(config.all())
                .allSatisfy(spec -> assertThat(spec.partitions()).isEqualTo(6));
        assertThat(config.serverConfigs().configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
        assertThat(config.healthChecks().configs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .containsEntry(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(Duration.ofDays(1).toMillis()));
        assertThat(config.serverStats().retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aConfiguredTopicReplacesItsDefaultAndTheDescriptorUsesItsName() {
        TopicSpec renamed = TopicSpec.deleteAfter("acme.health", 12, (short) 3, Duration.ofHours(6));
        TopicsConfig config = new TopicsConfig(null, null, renamed, null, null, null, null, null, null, null);

        Topics topics = new Topics(config);

        assertThat(topics.healthChecks().name()).isEqualTo("acme.health");
        assertThat(config.healthChecks().newTopic().numPartitions()).isEqualTo(12);
        assertThat(config.healthChecks().newTopic().replicationFactor()).isEqualTo((short) 3);
        assertThat(topics.serverConfigs().name()).isEqualTo("wa.server-configs");
    }

    @Test
    void anImpossibleSpecIsRefusedWithItsName() {
        assertThatThrownBy(() -> TopicSpec.deleteAfter("wa.x", 0, (short) 1, Duration.ofDays(1)))
                .hasMessageContaining("wa.x")
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> TopicSpec.deleteAfter("wa.x", 1, (short) 1, Duration.ZERO))
                .hasMessageContaining("positive retention");
    }

    @Test
    void asPropertiesBindsBackToTheSameTopics() {
        TopicsConfig config = new TopicsConfig(
                TopicSpec.compacted("t1.server-configs", 3, (short) 1),
                null,
                TopicSpec.deleteAfter("t1.health-checks", 2, (short) 1, Duration.ofHours(5)),
                null,
                null,
                null,
                null,
                TopicSpec.deleteAfter("t1.connection-requests", 12, (short) 1, Duration.ofDays(2)),
                null,
                null);

        WafleetProperties bound = new org.springframework.boot.context.properties.bind.Binder(
                        new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                                config.asProperties()))
                .bind("wafleet", WafleetProperties.class)
                .get();

        assertThat(bound.topics()).isEqualTo(config);
    }

    @Test
    void oneSettingOfOneTopicKeepsEverythingElseAtItsDefault() {
        WafleetProperties bound = new org.springframework.boot.context.properties.bind.Binder(
                        new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                                java.util.Map.of("wafleet.topics.health-checks.partitions", "24")))
                .bind("wafleet", WafleetProperties.class)
                .get();

        TopicsConfig defaults = TopicsConfig.defaults();
        assertThat(bound.topics().healthChecks())
                .isEqualTo(TopicSpec.deleteAfter("wa.health-checks", 24, (short) 1, Duration.ofDays(1)));
        assertThat(bound.topics().serverConfigs()).isEqualTo(defaults.serverConfigs());
        assertThat(bound.topics().deadLetters()).isEqualTo(defaults.deadLetters());
    }

    @Test
    void environmentVariablesGiveTheTopicsTheServicesBind() {
        TopicsConfig topics = WafleetProperties.topicsFromEnvironment(java.util.Map.of(
                "WAFLEET_TOPICS_CONNECTIONREQUESTS_PARTITIONS", "24",
                "WAFLEET_TOPICS_CONNECTIONREQUESTS_REPLICATIONFACTOR", "3",
                "WAFLEET_TOPICS_DEADLETTERS_NAME", "acme.dead-letters",
                "WAFLEET_TOPICS_SERVERSTATS_RETENTION", "14d",
                "PATH", "/usr/bin"));

        assertThat(topics.connectionRequests())
                .isEqualTo(TopicSpec.deleteAfter("wa.connection-requests", 24, (short) 3, Duration.ofDays(7)));
        assertThat(topics.deadLetters().name()).isEqualTo("acme.dead-letters");
        assertThat(topics.deadLetters().partitions()).isEqualTo(TopicsConfig.DEFAULT_PARTITIONS);
        assertThat(topics.serverStats().retention()).isEqualTo(Duration.ofDays(14));
        assertThat(topics.serverConfigs()).isEqualTo(TopicsConfig.defaults().serverConfigs());
        assertThat(WafleetProperties.topicsFromEnvironment(java.util.Map.of())).isEqualTo(TopicsConfig.defaults());
    }

    @Test
    void aTableTopicTurnedIntoAStreamWithoutRetentionIsRefusedByName() {
        assertThatThrownBy(() -> WafleetProperties.topicsFromEnvironment(
                        java.util.Map.of("WAFLEET_TOPICS_SERVERCONFIGS_COMPACTED", "false")))
                .hasMessage("topic wa.server-configs: a delete topic needs a positive retention");
    }
}
