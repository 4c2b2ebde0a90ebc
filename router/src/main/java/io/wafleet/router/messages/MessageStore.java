package io.wafleet.router.messages;

import io.wafleet.avro.MessageEvent;
import io.wafleet.avro.MessageProgress;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.service.RecordSends;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes what the message worker decides, through one idempotent producer (acks=all): events to wa.message-events,
 * each account's progress to wa.message-progress, messages it cannot read to wa.dead-letters with the reason, and
 * messages posted through the API to wa.outbound-messages. Every key is the account id.
 */
final class MessageStore implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final String routerId;

    MessageStore(Producer<byte[], byte[]> producer, Topics topics, String routerId) {
        this.producer = producer;
        this.topics = topics;
        this.routerId = routerId;
    }

    CompletableFuture<Void> event(MessageEvent event) {
        return send(topics.messageEvents(), event.getAccountId(), event);
    }

    CompletableFuture<Void> progress(MessageProgress progress) {
        return send(topics.messageProgress(), progress.getAccountId(), progress);
    }

    CompletableFuture<Void> post(io.wafleet.avro.OutboundMessage message) {
        return send(topics.outboundMessages(), message.getAccountId(), message);
    }

    CompletableFuture<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        return send(DeadLetters.of(topics.deadLetters(), record, reason, routerId));
    }

    private <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
        return RecordSends.send(producer, topic, key, value);
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        return RecordSends.send(producer, record);
    }

    @Override
    public void close() {
        producer.close();
    }
}
