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
                        "wa.dead-letters",
                        "wa.account-state",
                        "wa.router-members",
                        "wa.server-notices",
                        "wa.outbound-messages",
                        "wa.message-events",
                        "wa.message-progress");
        assertThat(config.accountState().compacted())
                .as("accounts are never forgotten")
                .isTrue();
        assertThat(config.all().subList(0, 11))
                .allSatisfy(spec -> assertThat(spec.partitions()).isEqualTo(6));
        assertThat(config.routerMembers().partitions())
                .as("read whole by every router")
                .isEqualTo(1);
        assertThat(config.routerMembers().compacted()).isTrue();
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
        TopicsConfig config = new TopicsConfig(
                null, null, renamed, null, null, null, null, null, null, null, null, null, null, null, null, null);

        Topics topics = new Topics(config);

        assertThat(topics.healthChecks().name()).isEqualTo("acme.health");
        assertThat(config.healthChecks().newTopic().numPartitions()).isEqualTo(12);
        assertThat(config.healthChecks().newTopic().replicationFactor()).isEqualTo((short) 3);
        assertThat(topics.serverConfigs().name()).isEqualTo("wa.server-configs");
    }

    @Test
    void theAccountStateIsPartitionedLikeTheRequestsByDefaultAndMustBe() {
        TopicSpec requests = TopicSpec.deleteAfter("acme.requests", 24, (short) 3, Duration.ofDays(7));

        TopicsConfig config = new TopicsConfig(
                null, null, null, null, null, null, null, requests, null, null, null, null, null, null, null, null);

        assertThat(config.accountState().partitions()).isEqualTo(24);
        assertThat(config.accountState().replicationFactor()).isEqualTo((short) 3);
        TopicSpec other = TopicSpec.compacted("acme.state", 12, (short) 3);
        assertThatThrownBy(() -> new TopicsConfig(
                        null, null, null, null, null, null, null, requests, null, null, other, null, null, null, null,
                        null))
                .hasMessageContaining("acme.state must be compacted and have as many partitions as acme.requests (24)");
        TopicSpec deleted = TopicSpec.deleteAfter("acme.state", 24, (short) 3, Duration.ofDays(30));
        assertThatThrownBy(() -> new TopicsConfig(
                        null, null, null, null, null, null, null, requests, null, null, deleted, null, null, null, null,
                        null))
                .hasMessageContaining("is not compacted");
    }

    @Test
    void anAccountsMessagesArePartitionedLikeItsRequestsAndMustBe() {
        TopicSpec requests = TopicSpec.deleteAfter("acme.requests", 24, (short) 3, Duration.ofDays(7));

        TopicsConfig config = new TopicsConfig(
                null, null, null, null, null, null, null, requests, null, null, null, null, null, null, null, null);

        assertThat(config.outboundMessages().partitions()).isEqualTo(24);
        assertThat(config.outboundMessages().compacted()).isFalse();
        assertThat(config.messageProgress().partitions()).isEqualTo(24);
        assertThat(config.messageProgress().compacted()).isTrue();
        assertThat(config.messageEvents().name()).isEqualTo("wa.message-events");
        TopicSpec fewer = TopicSpec.deleteAfter("acme.messages", 12, (short) 3, Duration.ofDays(7));
        assertThatThrownBy(() -> new TopicsConfig(
                        null, null, null, null, null, null, null, requests, null, null, null, null, null, fewer, null,
                        null))
                .hasMessageContaining("acme.messages must have as many partitions as acme.requests (24), had 12");
        TopicSpec deleted = TopicSpec.deleteAfter("acme.progress", 24, (short) 3, Duration.ofDays(7));
        assertThatThrownBy(() -> new TopicsConfig(
                        null, null, null, null, null, null, null, requests, null, null, null, null, null, null, null,
                        deleted))
                .hasMessageContaining("acme.progress must be compacted")
                .hasMessageContaining("is not compacted");
    }

    @Test
    void anImpossibleSpecIsRefusedWithItsName() {
        assertThatThrownBy(() -> TopicSpec.deleteAfter("wa.x", 0, (short) 1, Duration.ofDays(1)))
                .hasMessageContaining("wa.x")
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> TopicSpec.deleteAfter("wa.x", 1, (short) 1, Duration.ZERO))
                .hasMessageContaining("positive retention");
    }
}
