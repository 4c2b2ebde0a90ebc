package io.wafleet.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records for {@code wa.dead-letters}: the original key and value bytes untouched, and headers saying where the
 * record came from and why it could not be read.
 */
public final class DeadLetters {

    public static final String TOPIC_HEADER = "wafleet.dlq.topic";
    public static final String PARTITION_HEADER = "wafleet.dlq.partition";
    public static final String OFFSET_HEADER = "wafleet.dlq.offset";
    public static final String ERROR_HEADER = "wafleet.dlq.error";
    public static final String CONSUMER_HEADER = "wafleet.dlq.consumer";

    private DeadLetters() {}

    /** The dead letter of a record {@code consumer} could not read, for {@code error}. */
    public static ProducerRecord<byte[], byte[]> of(
            Topic<byte[], byte[]> deadLetters, ConsumerRecord<byte[], byte[]> failed, String error, String consumer) {
        return of(
                deadLetters,
                new Source(
                        failed.topic(),
                        failed.partition(),
                        failed.offset(),
                        failed.headers(),
                        failed.key(),
                        failed.value()),
                error,
                consumer);
    }

    /** The dead letter of the record at {@code source} that {@code consumer} could not handle, for {@code error}. */
    public static ProducerRecord<byte[], byte[]> of(
            Topic<byte[], byte[]> deadLetters, Source source, String error, String consumer) {
        RecordHeaders headers = new RecordHeaders(source.headers().toArray());
        headers.add(TOPIC_HEADER, bytes(source.topic()));
        headers.add(PARTITION_HEADER, bytes(Integer.toString(source.partition())));
        headers.add(OFFSET_HEADER, bytes(Long.toString(source.offset())));
        headers.add(ERROR_HEADER, bytes(error));
        headers.add(CONSUMER_HEADER, bytes(consumer));
        return new ProducerRecord<>(deadLetters.name(), null, source.key(), source.value(), headers);
    }

    /** Where a record was read and what it held, its bytes untouched. */
    public record Source(String topic, int partition, long offset, Headers headers, byte[] key, byte[] value) {}

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
