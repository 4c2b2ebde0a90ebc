package io.wafleet.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ServerNotice;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a server pushed (a webhook's headers and body, or one of Evolution's Kafka events) into a
 * {@link ServerNotice}, in the server's dialect: {@link WahaNotices}, {@link EvolutionNotices}. Nothing secret is
 * copied (Evolution's {@code apikey} stays behind). An event of a kind wafleet does not use (an incoming message) is
 * {@link Optional#empty()}; one it cannot read, or of a name the dialect does not have, is {@link Unreadable}.
 */
public final class ServerNotices {

    /** An event that is not JSON, lacks what its kind must carry, or is of a name the dialect does not send. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** What a delivery says besides its body: the headers a dialect puts its ids and timestamps in (lower case). */
    public record Delivery(String serverId, Dialect dialect, Map<String, String> headers, byte[] body) {}

    private ServerNotices() {}

    /**
     * The notice a delivery carries.
     *
     * @param receivedAt when it arrived
     * @throws Unreadable when it cannot be read
     */
    public static Optional<ServerNotice> read(Delivery delivery, Instant receivedAt) {
        JsonNode json;
        try {
            json = HttpCaller.MAPPER.readTree(delivery.body());
        } catch (JsonProcessingException e) {
            throw new Unreadable("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Unreadable("the body cannot be read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new Unreadable("the body is not a JSON object");
        }
        String fallbackId = digest(delivery);
        return switch (delivery.dialect()) {
            case WAHA -> WahaNotices.read(delivery, json, fallbackId, receivedAt);
            case EVOLUTION -> EvolutionNotices.read(delivery.serverId(), json, fallbackId, receivedAt);
            case SEED -> throw new Unreadable("the seed contract defines no webhooks");
        };
    }

    /** The id of a delivery that names none: the same delivery sent again has the same id. */
    static String digest(Delivery delivery) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(delivery.serverId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(delivery.body());
            return "sha256:" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A required text field of an event. */
    static String required(JsonNode json, String field, String event) {
        String value = Json.text(json, field);
        if (value == null || value.isBlank()) {
            throw new Unreadable(event + " has no '" + field + "'");
        }
        return value;
    }

    /** A timestamp in milliseconds or an ISO-8601 text, or null when there is none or it cannot be read. */
    static Instant time(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        return value.isNumber() ? epoch(value.asLong()) : time(value.asText());
    }

    /** {@link #time(JsonNode)} of a text: epoch digits or ISO-8601. */
    static Instant time(String text) {
        try {
            return !text.isEmpty() && text.chars().allMatch(Character::isDigit)
                    ? epoch(Long.parseLong(text))
                    : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Seconds or milliseconds: WAHA's message timestamps are seconds, its webhook timestamps milliseconds. */
    private static Instant epoch(long number) {
        return number < 100_000_000_000L ? Instant.ofEpochSecond(number) : Instant.ofEpochMilli(number);
    }
}
