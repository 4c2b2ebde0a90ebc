package io.wafleet.router.dashboard;

import io.wafleet.avro.ServerEvent;
import io.wafleet.schemas.ConsumerLoop;
import io.wafleet.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads wa.server-events from where they stand at start on, for the dashboard's live event list. */
final class ServerEventsFeed extends ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(ServerEventsFeed.class);

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final Topic<String, ServerEvent> topic;
    private final Consumer<ServerEvent> listener;

    ServerEventsFeed(
            org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
            Topic<String, ServerEvent> topic,
            Consumer<ServerEvent> listener) {
        super(consumer, "server-events-feed");
        this.consumer = consumer;
        this.topic = topic;
        this.listener = listener;
    }

    @Override
    protected void prepare() {
        List<TopicPartition> partitions = partitionsOf(consumer, topic.name());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
    }

    @Override
    protected void run() {
        while (running()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    listener.accept(topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                } catch (RuntimeException e) {
                    log.warn("skipping unreadable server event at {}: {}", record.offset(), e.getMessage());
                }
            }
        }
    }
}
