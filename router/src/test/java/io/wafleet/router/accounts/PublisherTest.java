package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The publisher against the real broker: what follows a sent event (the account's next step, which sends again) does
 * not run on the producer's own I/O thread, where a send that must first fetch a topic's metadata would wait for that
 * very thread until {@code max.block.ms} and fail.
 */
@WafleetIntegrationTest
class PublisherTest {

    private static final Duration MAX_BLOCK = Duration.ofSeconds(3);

    @Test
    void aStepChainedOnASentEventCanSendToATopicTheProducerHasNotWrittenYet(KafkaCluster kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Publisher publisher = publisher(kafka, topics(kafka, run), run)) {
            ConnectionRequest next = ConnectionRequest.newBuilder()
                    .setRequestId("next-" + run)
                    .setAccountId("account-" + run)
                    .setAction(ConnectionAction.CONNECT)
                    .build();
            long started = System.nanoTime();
            publisher
                    .event(event(run))
                    // The next step writes to a topic whose metadata this producer has not fetched yet.
                    .thenCompose(sent -> publisher.request(next))
                    .get(MAX_BLOCK.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the chained send went through without waiting out max.block.ms")
                    .isLessThan(MAX_BLOCK);
        }
    }

    @Test
    void aQrGoesToTheTopicByItsIdWhileTheAccountsStateHoldsItsImage(KafkaCluster kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = topics(kafka, run);
        String image = "data:image/png;base64," + "Q".repeat(2000);
        ConnectionEvent qr = ConnectionEvent.newBuilder(event(run))
                .setState(AccountState.QR_REQUIRED)
                .setQrCode(image)
                .setQrId(QrIds.of(image))
                .build();
        try (Publisher publisher = publisher(kafka, topics, run)) {
            publisher.event(qr).get(30, TimeUnit.SECONDS);
        }

        try (KafkaConsumer<byte[], byte[]> consumer = TxClients.readCommitted(kafka)) {
            TopicPartition events = new TopicPartition(topics.connectionEvents().name(), 0);
            TopicPartition states = new TopicPartition(topics.accountState().name(), 0);
            consumer.assign(List.of(events, states));
            consumer.seekToBeginning(List.of(events, states));
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.size() < 2 && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            ConnectionEvent onTopic = read.stream()
                    .filter(r -> r.topic().equals(events.topic()))
                    .map(r -> topics.connectionEvents()
                            .valueSerde()
                            .deserializer()
                            .deserialize(r.topic(), r.value()))
                    .findFirst()
                    .orElseThrow();
            AccountStateRecord state = read.stream()
                    .filter(r -> r.topic().equals(states.topic()))
                    .map(r -> topics.accountState().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                    .findFirst()
                    .orElseThrow();
            assertThat(onTopic.getQrCode()).isNull();
            assertThat(onTopic.getQrId()).isEqualTo(qr.getQrId());
            assertThat(state.getQrCode()).isEqualTo(image);
            assertThat(state.getQrId()).isEqualTo(qr.getQrId());
            assertThat(state.getLastEventId()).isEqualTo(qr.getEventId());
        }
    }

    /** Topics of this test's own, so no other test of the JVM reads its records. */
    private static Topics topics(KafkaCluster kafka, String run) {
        TopicsConfig config = new TopicsConfig(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                TopicSpec.deleteAfter("publisher-test-requests-" + run, 1, (short) 1, Duration.ofHours(1)),
                TopicSpec.deleteAfter("publisher-test-events-" + run, 1, (short) 1, Duration.ofHours(1)),
                null,
                TopicSpec.compacted("publisher-test-state-" + run, 1, (short) 1),
                null,
                null,
                TopicSpec.deleteAfter("publisher-test-messages-" + run, 1, (short) 1, Duration.ofHours(1)),
                TopicSpec.deleteAfter("publisher-test-message-events-" + run, 1, (short) 1, Duration.ofHours(1)),
                TopicSpec.compacted("publisher-test-message-progress-" + run, 1, (short) 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, config);
        }
        return new Topics(config);
    }

    private static Publisher publisher(KafkaCluster kafka, Topics topics, String run) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        (int) MAX_BLOCK.toMillis()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        Transactions transactions = new Transactions(
                () -> TxClients.transactional(kafka, "publisher-test-" + run), Duration.ofMinutes(1), () -> {});
        return new Publisher(
                producer,
                transactions,
                topics,
                new AccountRegistry(),
                "router-test",
                Clock.systemUTC(),
                new SimpleMeterRegistry());
    }

    private static ConnectionEvent event(String run) {
        return ConnectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAccountId("account-" + run)
                .setRequestId("request-" + run)
                .setState(AccountState.PENDING)
                .setServerId("server-1")
                .setOccurredAt(Instant.now())
                .setAttempt(1)
                .build();
    }
}
