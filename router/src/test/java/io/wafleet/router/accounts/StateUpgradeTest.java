package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A deployment from before wa.account-state: its state is built from wa.connection-events once, at start. */
@WafleetIntegrationTest
class StateUpgradeTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theStateIsBuiltOnceFromTheEventsAndNeverAgain(KafkaCluster kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = topics(kafka, run);
        List<ConnectionEvent> history = List.of(
                event("acc-1", "srv-a", AccountState.PENDING, "req-1", 0),
                event("acc-2", "srv-b", AccountState.PENDING, "req-2", 1),
                event("acc-1", null, AccountState.QR_REQUIRED, "req-1", 2),
                event("acc-1", null, AccountState.CONNECTED, "req-1", 3),
                event("acc-2", null, AccountState.FAILED, "req-2", 4),
                event("acc-3", "srv-a", AccountState.QR_REQUIRED, "req-3", 5));
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConnectionEvent event : history) {
                String name = topics.connectionEvents().name();
                producer.send(new ProducerRecord<>(
                        name,
                        event.getAccountId().getBytes(StandardCharsets.UTF_8),
                        topics.connectionEvents().valueSerde().serializer().serialize(name, event)));
            }
        }
        AccountRegistry expected = new AccountRegistry();
        history.forEach(expected::applyRead);
        StateUpgrade upgrade = new StateUpgrade(topics, () -> consumer(kafka), id -> producer(kafka, id));

        try (Consumer<byte[], byte[]> consumer = consumer(kafka)) {
            assertThat(upgrade.run(consumer)).as("accounts written").isEqualTo(3);
            assertThat(upgrade.run(consumer))
                    .as("a second start finds the state there")
                    .isZero();
        }

        Map<String, AccountStateRecord> state = readState(kafka, topics);
        assertThat(state).hasSize(3);
        for (Account account : expected.accounts()) {
            assertThat(state.get(account.accountId())).isEqualTo(AccountFold.record(account));
        }
        assertThat(state.get("acc-1").getState()).isEqualTo(AccountState.CONNECTED);
        assertThat(state.get("acc-1").getServerId()).isEqualTo("srv-a");
        assertThat(state.get("acc-2").getAnsweredRequests()).containsExactly("req-2");
    }

    @Test
    void aNewDeploymentWithoutEventsHasNothingToBuild(KafkaCluster kafka) throws Exception {
        Topics topics = topics(kafka, UUID.randomUUID().toString().substring(0, 8));
        StateUpgrade upgrade = new StateUpgrade(topics, () -> consumer(kafka), id -> producer(kafka, id));

        try (Consumer<byte[], byte[]> consumer = consumer(kafka)) {
            assertThat(upgrade.run(consumer)).isZero();
        }
        assertThat(readState(kafka, topics)).isEmpty();
    }

    private static Map<String, AccountStateRecord> readState(KafkaCluster kafka, Topics topics) {
        Map<String, AccountStateRecord> state = new HashMap<>();
        try (Consumer<byte[], byte[]> consumer = consumer(kafka)) {
            List<TopicPartition> partitions =
                    TopicListener.partitionsOf(consumer, topics.accountState().name());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    AccountStateRecord value = topics.accountState()
                            .valueSerde()
                            .deserializer()
                            .deserialize(record.topic(), record.value());
                    state.put(value.getAccountId(), value);
                });
            }
        }
        return state;
    }

    private static Topics topics(KafkaCluster kafka, String run) throws Exception {
        Duration day = Duration.ofDays(1);
        TopicsConfig config = new TopicsConfig(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                TopicSpec.deleteAfter("upgrade-" + run + ".connection-requests", 3, (short) 1, day),
                TopicSpec.deleteAfter("upgrade-" + run + ".connection-events", 3, (short) 1, day),
                null,
                TopicSpec.compacted("upgrade-" + run + ".account-state", 3, (short) 1),
                null,
                null,
                TopicSpec.deleteAfter("upgrade-" + run + ".outbound-messages", 3, (short) 1, day),
                TopicSpec.deleteAfter("upgrade-" + run + ".message-events", 3, (short) 1, day),
                TopicSpec.compacted("upgrade-" + run + ".message-progress", 3, (short) 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(
                            config.connectionEvents().newTopic(),
                            config.accountState().newTopic()))
                    .all()
                    .get();
        }
        return new Topics(config);
    }

    private static Consumer<byte[], byte[]> consumer(KafkaCluster kafka) {
        return TxClients.readCommitted(kafka);
    }

    private static Producer<byte[], byte[]> producer(KafkaCluster kafka, String id) {
        return TxClients.transactional(kafka, id);
    }

    private static ConnectionEvent event(String account, String server, AccountState state, String request, int at) {
        return ConnectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRequestId(request)
                .setAccountId(account)
                .setServerId(server)
                .setState(state)
                .setQrCode(state == AccountState.QR_REQUIRED ? "data:image/png;base64,AAAA" : null)
                .setOccurredAt(T0.plusSeconds(at))
                .build();
    }
}
