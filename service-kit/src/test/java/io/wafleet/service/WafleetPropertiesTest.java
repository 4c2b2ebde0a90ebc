package io.wafleet.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.TopicsConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The services' topic settings bind from properties and environment variables into a TopicsConfig. */
class WafleetPropertiesTest {

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
                null,
                null,
                null,
                null,
                null,
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
