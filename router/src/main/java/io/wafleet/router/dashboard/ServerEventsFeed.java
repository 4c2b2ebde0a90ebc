package io.wafleet.router.dashboard;

import io.wafleet.avro.ServerEvent;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import java.util.function.Consumer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Reads wa.server-events from where they stand at start on, for the dashboard's live event list (every partition,
 * no consumer group). An event that cannot be read is logged and skipped by the container's recoverer.
 */
final class ServerEventsFeed extends TopicListener<String, byte[]> {

    private final Topic<String, ServerEvent> topic;
    private final Consumer<ServerEvent> listener;

    ServerEventsFeed(
            ConsumerFactory<String, byte[]> consumers,
            Topic<String, ServerEvent> topic,
            Consumer<ServerEvent> listener) {
        super("server-events-feed", consumers);
        this.topic = topic;
        this.listener = listener;
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
