package io.wafleet.router.messages;

import io.wafleet.avro.OutboundMessage;
import io.wafleet.schemas.Texts;
import io.wafleet.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Why an outbound message cannot be sent, or null: the REST API answers these with a 400 naming the field, the worker
 * sends such a record to wa.dead-letters with the reason. A text may hold line breaks and tabs, no other control
 * character.
 */
public final class MessageProblems {

    /** A phone number in international form (digits, an optional +), or a WhatsApp chat id. */
    private static final Pattern RECIPIENT =
            Pattern.compile("\\+?[1-9][0-9]{5,14}|[0-9]{6,20}(-[0-9]{6,12})?@(c\\.us|g\\.us|s\\.whatsapp\\.net)");

    /** A problem with one field of a message. */
    public record Problem(String field, String detail) {
        @Override
        public String toString() {
            return field + ": " + detail;
        }
    }

    /** A message read from its record, or why it cannot be sent. */
    record Decoded(OutboundMessage message, Problem problem) {}

    private MessageProblems() {}

    static Decoded decode(ConsumerRecord<byte[], byte[]> record, Topic<String, OutboundMessage> topic, int maxText) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        OutboundMessage message;
        try {
            message = record.value() == null
                    ? null
                    : topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            return new Decoded(null, new Problem("value", "unreadable OutboundMessage: " + e.getMessage()));
        }
        if (message == null) {
            return new Decoded(null, new Problem("value", "an outbound message needs a value (this record has none)"));
        }
        Problem problem = of(message, maxText);
        if (problem == null && !message.getAccountId().equals(key)) {
            problem = new Problem(
                    "key",
                    "the record key must be the accountId ('" + message.getAccountId()
                            + "'), so that an account's messages stay in order on one partition; it was "
                            + (key == null ? "empty" : "'" + key + "'"));
        }
        return new Decoded(message, problem);
    }

    /** What is wrong with the message's fields, or null. */
    public static Problem of(OutboundMessage message, int maxText) {
        for (Map.Entry<String, String> field : Map.of(
                        "accountId", nullToEmpty(message.getAccountId()),
                        "messageId", nullToEmpty(message.getMessageId()))
                .entrySet()) {
            String value = field.getValue();
            if (value.isBlank()) {
                return new Problem(field.getKey(), "is missing");
            }
            if (value.length() > Texts.MAX_LENGTH || Texts.hasControl(value)) {
                return new Problem(
                        field.getKey(),
                        "must be at most " + Texts.MAX_LENGTH + " characters without control characters");
            }
        }
        String recipient = nullToEmpty(message.getRecipient());
        if (!RECIPIENT.matcher(recipient).matches()) {
            return new Problem(
                    "recipient",
                    "must be a phone number in international form, digits only"
                            + " (491701234567), or a chat id (491701234567@c.us, a group's ...@g.us)");
        }
        String text = nullToEmpty(message.getText());
        if (text.isBlank()) {
            return new Problem("text", "is missing");
        }
        if (text.length() > maxText) {
            return new Problem("text", "must be at most " + maxText + " characters, was " + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return new Problem("text", "holds a control character (U+%04X)".formatted((int) c));
            }
        }
        for (Map.Entry<String, String> entry : message.getMetadata().entrySet()) {
            if (entry.getKey().length() > Texts.MAX_LENGTH
                    || entry.getValue().length() > Texts.MAX_LENGTH
                    || Texts.hasControl(entry.getKey())
                    || Texts.hasControl(entry.getValue())) {
                return new Problem(
                        "metadata." + Texts.printable(entry.getKey()),
                        "must be at most " + Texts.MAX_LENGTH + " characters without control characters");
            }
        }
        return null;
    }

    /** The recipient as the servers take it: digits without the +, or the chat id as given. */
    static String recipient(String recipient) {
        return recipient.startsWith("+") ? recipient.substring(1) : recipient;
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
