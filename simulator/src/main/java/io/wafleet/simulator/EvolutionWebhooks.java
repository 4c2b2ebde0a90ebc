package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The webhooks of a simulated Evolution instance, as EvolutionAPI/evolution-api 2.3.6 sends them ({@code
 * webhook.controller.ts emit}: {@code {event, instance, data, destination, date_time, sender, server_url, apikey}},
 * with the instance's {@code headers}; v1.8.2 {@code channel.service.ts sendDataWebhook} the same envelope and no
 * headers). The events ({@code whatsapp.baileys.service.ts connectionUpdate}): {@code connection.update} connecting
 * on start, {@code qrcode.updated} with {@code {qrcode: {instance, pairingCode, code, base64}}} for every QR, {@code
 * connection.update} open once scanned, close with Baileys' 428 when the connection drops (then open again), close
 * with 401 on logout. {@code apikey} is the instance's token (sent when AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES is
 * on, its default); {@code date_time} is local time written with a {@code Z}, UTC here.
 */
final class EvolutionWebhooks {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final SimulatedServer server;
    private final EvolutionInstanceCalls calls;
    private final EvolutionAnswers answers;

    EvolutionWebhooks(SimulatedServer server, EvolutionInstanceCalls calls, EvolutionAnswers answers) {
        this.server = server;
        this.calls = calls;
        this.answers = answers;
    }

    /**
     * The webhook of a create body, in one shape for both versions ({@code url, events, headers}), or null: v2's
     * {@code webhook} object (2.3.6 {@code instance.dto.ts}; {@code enabled} false or no URL is none), v1.8's URL
     * with {@code events} beside it (1.8.2 {@code validate.schema.ts}).
     */
    static Map<String, Object> config(JsonNode create) {
        JsonNode webhook = create.path("webhook");
        if (webhook.isTextual() && !webhook.asText().isBlank()) {
            return Json.object("url", webhook.asText(), "events", create.path("events"), "headers", Map.of());
        }
        if (webhook.isObject()
                && webhook.path("enabled").asBoolean(false)
                && webhook.path("url").isTextual()) {
            return Json.object(
                    "url", webhook.get("url").asText(),
                    "events", webhook.path("events"),
                    "headers", webhook.path("headers"));
        }
        return null;
    }

    List<WebhookOut.Outgoing> of(Session session, Session.State from, Session.State to, Instant at) {
        if (!(session.config() instanceof Map<?, ?>)) {
            return List.of();
        }
        String instance = session.accountId();
        List<Event> events = new ArrayList<>();
        switch (to) {
            case STARTING -> events.add(event("CONNECTION_UPDATE", state(instance, "connecting", 200)));
            case SCAN_QR_CODE -> {
                Map<String, Object> qr = answers.qrCode(session);
                events.add(event(
                        "QRCODE_UPDATED",
                        Json.object(
                                "qrcode",
                                Json.object(
                                        "instance",
                                        instance,
                                        "pairingCode",
                                        null,
                                        "code",
                                        qr.get("code"),
                                        "base64",
                                        qr.get("base64")))));
            }
            case WORKING -> {
                Map<String, Object> open = state(instance, "open", 200);
                open.put("wuid", WahaApi.phone(session) + "@s.whatsapp.net");
                open.put("profileName", session.name());
                open.put("profilePictureUrl", null);
                events.add(event("CONNECTION_UPDATE", open));
            }
            case RECONNECTING -> events.add(event("CONNECTION_UPDATE", state(instance, "close", 428)));
            case STOPPED, FAILED -> {
                if (from != Session.State.STOPPED) {
                    events.add(event("CONNECTION_UPDATE", state(instance, "close", 401)));
                }
            }
        }
        return deliveries(session, events, to == Session.State.WORKING, at);
    }

    /**
     * A sent message's {@code messages.update} (2.3.6 {@code whatsapp.baileys.service.ts} messages.update handler:
     * {@code keyId, remoteJid, fromMe, participant, status, instanceId}; status by {@code src/utils/renderStatus.ts}:
     * DELIVERY_ACK, READ).
     */
    List<WebhookOut.Outgoing> ack(Session session, String messageId, String chatId, int ack, Instant at) {
        Map<String, Object> data = Json.object(
                "keyId",
                messageId,
                "remoteJid",
                chatId,
                "fromMe",
                true,
                "participant",
                null,
                "status",
                ack == 2 ? "DELIVERY_ACK" : ack == 3 ? "READ" : "SERVER_ACK",
                "instanceId",
                session.connectionId());
        return deliveries(session, List.of(event("MESSAGES_UPDATE", data)), true, at);
    }

    private List<WebhookOut.Outgoing> deliveries(Session session, List<Event> events, boolean working, Instant at) {
        if (!(session.config() instanceof Map<?, ?> config)) {
            return List.of();
        }
        String instance = session.accountId();
        List<WebhookOut.Outgoing> out = new ArrayList<>();
        JsonNode wanted = (JsonNode) config.get("events");
        for (Event event : events) {
            if (!wants(wanted, event.name())) {
                continue;
            }
            String url = (String) config.get("url");
            byte[] body = Json.bytes(Json.object(
                    "event", event.name().toLowerCase(Locale.ROOT).replace('_', '.'),
                    "instance", instance,
                    "data", event.data(),
                    "destination", url,
                    "date_time", ISO_MILLIS.format(at),
                    "sender", working ? WahaApi.phone(session) + "@s.whatsapp.net" : null,
                    "server_url", server.baseUrl(),
                    "apikey", calls.token(session)));
            out.add(new WebhookOut.Outgoing(url, headers(config.get("headers")), body));
        }
        return out;
    }

    /** One event: its name as the webhook's {@code events} list spells it, and its data. */
    private record Event(String name, Map<String, Object> data) {}

    private static Event event(String name, Map<String, Object> data) {
        return new Event(name, data);
    }

    private static Map<String, Object> state(String instance, String state, int reason) {
        return Json.object("instance", instance, "state", state, "statusReason", reason);
    }

    /** 2.3.6 set(): an enabled webhook with no events gets them all. */
    private static boolean wants(JsonNode events, String event) {
        if (events == null || !events.isArray() || events.isEmpty()) {
            return true;
        }
        for (JsonNode wanted : events) {
            if (wanted.asText().equals(event)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> headers(Object headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers instanceof JsonNode json) {
            json.fields()
                    .forEachRemaining(
                            field -> out.put(field.getKey(), field.getValue().asText()));
        }
        return out;
    }
}
