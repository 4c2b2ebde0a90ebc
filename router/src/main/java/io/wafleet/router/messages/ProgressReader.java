package io.wafleet.router.messages;

import io.wafleet.avro.MessageProgress;
import io.wafleet.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the progress of the accounts of some partitions from wa.message-progress, from its beginning to its end as
 * they are now (compacted: about one record per account), with a consumer of its own that is closed after. A record
 * that cannot be read is skipped with a warning: its account's messages are then treated as new, which only a message
 * done just before a handover could make go out twice.
 */
final class ProgressReader {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProgressReader.class);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Topic<String, MessageProgress> topic;

    ProgressReader(Supplier<Consumer<byte[], byte[]>> consumers, Topic<String, MessageProgress> topic) {
        this.consumers = consumers;
        this.topic = topic;
    }

    Map<String, Progress> read(Set<Integer> partitions) {
        Map<String, Progress> read = new HashMap<>();
        List<TopicPartition> all = partitions.stream()
                .map(partition -> new TopicPartition(topic.name(), partition))
                .toList();
        try (Consumer<byte[], byte[]> consumer = consumers.get()) {
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all, Duration.ofMinutes(2));
            while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String accountId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        read.remove(accountId);
                        continue;
                    }
                    try {
                        MessageProgress progress =
                                topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
                        read.put(progress.getAccountId(), Progress.of(progress));
                    } catch (RuntimeException e) {
                        log.warn(
                                "progress record {}-{}@{} skipped: {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e.toString());
                    }
                }
            }
        }
        return read;
    }
}
