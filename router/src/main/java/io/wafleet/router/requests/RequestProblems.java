package io.wafleet.router.requests;

import io.wafleet.avro.ConnectionRequest;
import io.wafleet.schemas.Texts;
import io.wafleet.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Why a readable connection request from the topic cannot be handled, or null: what the REST API refuses with a 400
 * is refused here too, to wa.dead-letters with the reason. Control characters (NUL among them, which PostgreSQL
 * cannot store in a text) and texts over {@link Texts#MAX_LENGTH} never pass into the events and the audit.
 */
final class RequestProblems {

    /** A request read from its record, or why it cannot be handled (then the request may be null). */
    record Decoded(ConnectionRequest request, String problem) {}

    private RequestProblems() {}

    /** Reads a record of wa.connection-requests (Avro or JSON) and looks whether it can be handled. */
    static Decoded decode(ConsumerRecord<byte[], byte[]> record, Topic<String, ConnectionRequest> topic) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        ConnectionRequest request;
        try {
            request = record.value() == null
                    ? null
                    : topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            return new Decoded(null, "unreadable ConnectionRequest: " + e.getMessage());
        }
        return new Decoded(request, of(request, key));
    }

    static String of(ConnectionRequest request, String key) {
        if (request == null) {
            return "a connection request needs a value (this record has none)";
        }
        if (request.getAccountId() == null || request.getAccountId().isBlank()) {
            return "accountId is missing";
        }
        if (request.getRequestId() == null || request.getRequestId().isBlank()) {
            return "requestId is missing";
        }
        if (!request.getAccountId().equals(key)) {
            return "the record key must be the accountId ('" + request.getAccountId()
                    + "'), so that an account's requests stay in order on one partition; it was "
                    + (key == null ? "empty" : "'" + key + "'");
        }
        for (Map.Entry<String, String> field : texts(request).entrySet()) {
            String value = field.getValue();
            if (value != null && value.length() > Texts.MAX_LENGTH) {
                return field.getKey() + " must be at most " + Texts.MAX_LENGTH + " characters, was " + value.length();
            }
            int control = value == null ? -1 : Texts.firstControl(value);
            if (control >= 0) {
                return field.getKey() + " holds a control character (U+%04X)".formatted((int) value.charAt(control));
            }
        }
        return null;
    }

    private static Map<String, String> texts(ConnectionRequest request) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("accountId", request.getAccountId());
        texts.put("requestId", request.getRequestId());
        texts.put("accountName", request.getAccountName());
        texts.put("serverId", request.getServerId());
        texts.put("environment", request.getEnvironment());
        texts.put("location", request.getLocation());
        texts.put("requestedBy", request.getRequestedBy());
        for (int i = 0; i < request.getTags().size(); i++) {
            texts.put("tags[" + i + "]", request.getTags().get(i));
        }
        request.getMetadata().forEach((name, value) -> {
            texts.put("metadata key '" + name + "'", name);
            texts.put("metadata." + name, value);
        });
        return texts;
    }
}
