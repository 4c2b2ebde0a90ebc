package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code session.status} and {@code message.ack} webhooks of a simulated WAHA server, per the session's {@code config.webhooks}.
 * Body: devlikeapro/waha 2024.10.8 {@code src/core/webhooks.core.ts callWebhook} ({@code event, session, metadata,
 * me, payload: {name, status}, engine, environment}), sent on every status the session enters and again on every QR
 * refresh ({@code session.abc.ts}: the status setter emits each time it is set). Core's sender posts the body alone
 * with {@code User-Agent: WAHA/<version>} ({@code WebhookSenderCore}); Plus, whose source is not public, adds what
 * waha.devlike.pro/docs/how-to/events documents: {@code X-Webhook-Request-Id}, {@code X-Webhook-Timestamp}
 * (milliseconds), with {@code hmac.key} an {@code X-Webhook-Hmac} (hex HMAC-SHA512 of the body) and {@code
 * X-Webhook-Hmac-Algorithm: sha512}, and the {@code customHeaders}.
 */
final class WahaWebhooks {

    private final WahaApi api;
    private final SimulatedServer server;

    WahaWebhooks(WahaApi api, SimulatedServer server) {
        this.api = api;
        this.server = server;
    }

    List<WebhookOut.Outgoing> of(Session session, Session.State to, Instant at) {
        if (to == Session.State.RECONNECTING) {
            return List.of();
        }
        return deliveries(
                session,
                "session.status",
                Json.object("name", session.name(), "status", to.name()),
                to == Session.State.WORKING,
                at);
    }

    /**
     * A sent message's {@code message.ack}: WEBJS sends whatsapp-web.js's message as {@code toWAMessage} renders it
     * (2024.10.8 {@code session.webjs.core.ts}: {@code id, timestamp, from, fromMe, to, body, hasMedia, ack,
     * ackName}), with WAMessageAck's names ({@code enums.dto.ts}: 2 DEVICE, 3 READ).
     */
    List<WebhookOut.Outgoing> ack(Session session, String messageId, String chatId, int ack, Instant at) {
        return deliveries(
                session,
                "message.ack",
                Json.object(
                        "id",
                        messageId,
                        "timestamp",
                        at.getEpochSecond(),
                        "from",
                        WahaApi.phone(session) + "@c.us",
                        "fromMe",
                        true,
                        "to",
                        chatId,
                        "body",
                        "",
                        "hasMedia",
                        false,
                        "ack",
                        ack,
                        "ackName",
                        ack == 2 ? "DEVICE" : ack == 3 ? "READ" : "SERVER"),
                true,
                at);
    }

    private List<WebhookOut.Outgoing> deliveries(
            Session session, String event, Map<String, Object> payload, boolean working, Instant at) {
        if (!(session.config() instanceof JsonNode config)) {
            return List.of();
        }
        List<WebhookOut.Outgoing> out = new ArrayList<>();
        for (JsonNode webhook : config.path("webhooks")) {
            String url = webhook.path("url").asText("");
            if (url.isEmpty() || !wants(webhook.path("events"), event)) {
                continue;
            }
            byte[] body = Json.bytes(Json.object(
                    "event",
                    event,
                    "session",
                    session.name(),
                    "metadata",
                    config.path("metadata").isObject() ? config.get("metadata") : Json.UNDEFINED,
                    "me",
                    working
                            ? Json.object("id", WahaApi.phone(session) + "@c.us", "pushName", session.name())
                            : Json.UNDEFINED,
                    "payload",
                    payload,
                    "engine",
                    "WEBJS",
                    "environment",
                    api.version()));
            out.add(new WebhookOut.Outgoing(url, headers(webhook, body, at), body));
        }
        return out;
    }

    private static boolean wants(JsonNode events, String event) {
        for (JsonNode wanted : events) {
            if (wanted.asText().equals(event) || wanted.asText().equals("*")) {
                return true;
            }
        }
        return false;
    }

    private Map<String, String> headers(JsonNode webhook, byte[] body, Instant at) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "WAHA/" + server.spec().version());
        if (server.spec().wahaCore()) {
            return headers;
        }
        headers.put("X-Webhook-Request-Id", UUID.randomUUID().toString());
        headers.put("X-Webhook-Timestamp", Long.toString(at.toEpochMilli()));
        String key = webhook.path("hmac").path("key").asText("");
        if (!key.isEmpty()) {
            headers.put("X-Webhook-Hmac", hmacSha512(key, body));
            headers.put("X-Webhook-Hmac-Algorithm", "sha512");
        }
        for (JsonNode header : webhook.path("customHeaders")) {
            headers.put(header.path("name").asText(), header.path("value").asText());
        }
        return headers;
    }

    static String hmacSha512(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA512"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
