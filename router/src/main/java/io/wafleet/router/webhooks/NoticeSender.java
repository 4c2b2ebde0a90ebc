package io.wafleet.router.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wafleet.avro.ServerNotice;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.service.RecordSends;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes what the receiver took: notices to wa.server-notices (key accountId, or serverId), deliveries it could not
 * read to wa.dead-letters with the reason, and the server events and PASSIVE checks of {@link ServerSignals}. A dead
 * letter's body loses Evolution's {@code apikey} first: nothing secret reaches a topic.
 */
public final class NoticeSender {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final String routerId;

    public NoticeSender(Producer<byte[], byte[]> producer, Topics topics, String routerId) {
        this.producer = producer;
        this.topics = topics;
        this.routerId = routerId;
    }

    public CompletableFuture<Void> notice(ServerNotice notice) {
        String key = notice.getAccountId() != null ? notice.getAccountId() : notice.getServerId();
        return send(topics.serverNotices(), key, notice);
    }

    Topics topics() {
        return topics;
    }

    /** A delivery that could not be read, from the server it authenticated as. */
    public CompletableFuture<Void> deadLetter(String serverId, byte[] body, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("wafleet.webhook.server", bytes(serverId));
        DeadLetters.Source source = new DeadLetters.Source(
                "POST /api/v1/webhooks/" + serverId, -1, -1, headers, bytes(serverId), withoutSecrets(body));
        return send(DeadLetters.of(topics.deadLetters(), source, reason, routerId));
    }

    <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
        return RecordSends.send(producer, topic, key, value);
    }

    /** The body with any top-level {@code apikey} (Evolution's envelope) taken out; not JSON, as it came. */
    static byte[] withoutSecrets(byte[] body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json instanceof ObjectNode object && object.has("apikey")) {
                object.put("apikey", "***");
                return MAPPER.writeValueAsBytes(object);
            }
        } catch (java.io.IOException notJson) {
            // kept as it came
        }
        return body;
    }

    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        return RecordSends.send(producer, record);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
