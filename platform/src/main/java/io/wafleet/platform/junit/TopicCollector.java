package io.wafleet.platform.junit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * For tests: reads topics from their beginning on a thread of its own and hands every committed record to a handler
 * (which usually decodes it into a queue the test waits on), until closed.
 */
public final class TopicCollector implements AutoCloseable {

    private final AtomicBoolean collecting = new AtomicBoolean(true);
    private final Thread thread;

    private TopicCollector(
            String bootstrapServers,
            String group,
            List<String> topics,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        thread = new Thread(() -> collect(bootstrapServers, group, topics, handler), group);
        thread.start();
    }

    /** Starts collecting; {@code group} names the consumer group (and the thread). */
    public static TopicCollector start(
            String bootstrapServers,
            String group,
            List<String> topics,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        return new TopicCollector(bootstrapServers, group, topics, handler);
    }

    private void collect(
            String bootstrapServers,
            String group,
            List<String> topics,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        // Routers and the aggregator write in transactions: what a crashed one left open and the
                        // broker aborted never happened, and must not be counted as if it had.
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            while (collecting.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    handler.accept(record);
                }
            }
        }
    }

    /** Stops reading and waits for the thread (up to 10 s). */
    @Override
    public void close() {
        collecting.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
