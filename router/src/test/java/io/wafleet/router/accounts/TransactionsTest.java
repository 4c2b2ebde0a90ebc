package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Each group of records in one transaction, against the real broker: readers see a group whole or not at all. */
@WafleetIntegrationTest
class TransactionsTest {

    @Test
    void everyGroupIsCommittedWholeAndManyGroupsShareACommit(KafkaCluster kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> topics = topics(kafka, run);
        try (Transactions transactions = transactions(kafka, "tx-test-" + run)) {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(transactions.send(group(topics, "account-" + i)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<byte[], byte[]>> read = readCommitted(kafka, topics, 400);
        assertThat(read.stream().filter(r -> r.topic().equals(topics.get(0)))).hasSize(200);
        assertThat(read.stream().filter(r -> r.topic().equals(topics.get(1)))).hasSize(200);
    }

    @Test
    void aFencedProducerIsReplacedAndItsGroupIsWrittenOnce(KafkaCluster kafka) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> topics = topics(kafka, run);
        String id = "tx-fenced-" + run;
        try (Transactions transactions = transactions(kafka, id)) {
            transactions.send(group(topics, "first")).get(30, TimeUnit.SECONDS);
            // Another producer of the same transactional id (a zombie's successor, say) fences the one in use.
            try (Producer<byte[], byte[]> other = producer(kafka, id)) {
                other.initTransactions();
            }

            transactions.send(group(topics, "second")).get(60, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<byte[], byte[]>> read = readCommitted(kafka, topics, 4);
        assertThat(read)
                .extracting(r -> r.topic() + "/" + new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder(
                        topics.get(0) + "/first", topics.get(1) + "/first",
                        topics.get(0) + "/second", topics.get(1) + "/second");
    }

    private static List<ProducerRecord<byte[], byte[]>> group(List<String> topics, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return List.of(
                new ProducerRecord<>(topics.get(0), bytes, bytes), new ProducerRecord<>(topics.get(1), bytes, bytes));
    }

    private static Transactions transactions(KafkaCluster kafka, String id) {
        return new Transactions(() -> producer(kafka, id), Duration.ofMinutes(1), () -> {
            throw new AssertionError("fatal");
        });
    }

    private static Producer<byte[], byte[]> producer(KafkaCluster kafka, String id) {
        return TxClients.transactional(kafka, id);
    }

    private static List<String> topics(KafkaCluster kafka, String run) throws Exception {
        List<String> names = List.of("tx-events-" + run, "tx-states-" + run);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(names.stream()
                            .map(n -> new NewTopic(n, 1, (short) 1))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return names;
    }

    /** Everything committed on both topics, read until the committed ends (nothing beyond them can come). */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            KafkaCluster kafka, List<String> topics, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = TxClients.readCommitted(kafka)) {
            List<TopicPartition> partitions =
                    topics.stream().map(t -> new TopicPartition(t, 0)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until
                    && (read.size() < atLeast
                            || partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)))) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }
}
