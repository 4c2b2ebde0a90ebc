package io.wafleet.service;

import io.wafleet.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends through a byte producer with the outcome as a future: it completes (on the producer's I/O thread) once the
 * broker has the record, or exceptionally with why not (also when the producer refuses the record at once).
 */
public final class RecordSends {

    private RecordSends() {}

    /** A record of a typed topic, key in UTF-8 and value serialized by the topic's serde. */
    public static <V> CompletableFuture<Void> send(
            Producer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) {
        return send(
                producer,
                new ProducerRecord<>(
                        topic.name(),
                        key.getBytes(StandardCharsets.UTF_8),
                        topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    public static CompletableFuture<Void> send(
            Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    sent.complete(null);
                } else {
                    sent.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        return sent;
    }
}
