package io.wafleet.bench.router;

import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.service.TopicListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the router benchmarks do with the request and event topics: post a CONNECT, read the events as they come. */
final class ConnectionTopics {

    private ConnectionTopics() {}

    /** Posts a CONNECT of {@code account} in the {@code production} pool, as a producer would. */
    static void connect(Topics topics, KafkaProducer<byte[], byte[]> producer, String requestId, String account) {
        Topic<String, ConnectionRequest> topic = topics.connectionRequests();
        ConnectionRequest request = ConnectionRequest.newBuilder()
                .setRequestId(requestId)
                .setAccountId(account)
                .setAction(ConnectionAction.CONNECT)
                .setEnvironment("production")
                .build();
        producer.send(new ProducerRecord<>(
                topic.name(),
                account.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), request)));
    }

    /** Reads wa.connection-events from its end while {@code reading}: each event, with the nanoTime it was read. */
    static void read(
            Topics topics, String bootstrap, AtomicBoolean reading, BiConsumer<ConnectionEvent, Long> onEvent) {
        Topic<String, ConnectionEvent> topic = topics.connectionEvents();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = TopicListener.partitionsOf(consumer, topic.name());
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    onEvent.accept(topic.valueSerde().deserializer().deserialize(record.topic(), record.value()), now);
                }
            }
        }
    }
}
