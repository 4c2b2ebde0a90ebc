package io.wafleet.service;

import io.wafleet.schemas.Topic;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Reads a topic from where it stands at start on, every partition, no consumer group: for what matters only while
 * it is news (the dashboard's live events, the servers' notices). A record that cannot be read is logged and skipped
 * by the container's recoverer.
 */
public final class LiveTail<V> extends TopicListener<String, byte[]> {

    private final Topic<String, V> topic;
    private final Consumer<V> listener;

    public LiveTail(
            String name, ConsumerFactory<String, byte[]> consumers, Topic<String, V> topic, Consumer<V> listener) {
        super(name, consumers);
        this.topic = topic;
        this.listener = listener;
    }

    /** A tail with a consumer of its own, named {@code clientPrefix-<random>}, reading committed records only. */
    public static <V> LiveTail<V> of(
            String name, KafkaClients kafka, String clientPrefix, Topic<String, V> topic, Consumer<V> listener) {
        Map<String, Object> config = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientPrefix + "-" + UUID.randomUUID().toString().substring(0, 8),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
        return new LiveTail<>(
                name,
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
                topic,
                listener);
    }

    @Override
    protected ContainerProperties properties() {
        ContainerProperties properties = new ContainerProperties(
                partitions(topic.name(), TopicPartitionOffset.SeekPosition.END).toArray(TopicPartitionOffset[]::new));
        properties.setMessageListener((MessageListener<String, byte[]>) record ->
                listener.accept(topic.valueSerde().deserializer().deserialize(record.topic(), record.value())));
        return properties;
    }
}
