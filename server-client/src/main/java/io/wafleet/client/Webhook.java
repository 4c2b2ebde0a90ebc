package io.wafleet.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a server is asked to send its session events, and the server's own secret that proves a delivery came from
 * it. The secret is plaintext here, in memory only: {@link #toString()} never shows it.
 *
 * @param url the receiver for this server ({@code .../api/v1/webhooks/{serverId}})
 * @param secret the server's webhook secret
 */
public record Webhook(String url, String secret) {

    /** WAHA's session status event and sent messages' acknowledgements: all wafleet asks WAHA for. */
    static final List<String> WAHA_EVENTS = List.of(WahaNotices.SESSION_STATUS, WahaNotices.MESSAGE_ACK);

    /** Evolution v2's events wafleet asks for (2.3.6 EventController.events names). */
    static final List<String> EVOLUTION_EVENTS = List.of(
            "QRCODE_UPDATED",
            "CONNECTION_UPDATE",
            "LOGOUT_INSTANCE",
            "REMOVE_INSTANCE",
            "STATUS_INSTANCE",
            "MESSAGES_UPDATE");

    /** v1.8's: its instance schema refuses any event outside its list (1.8.2 {@code validate.schema.ts}). */
    static final List<String> EVOLUTION_1_8_EVENTS = List.of("QRCODE_UPDATED", "CONNECTION_UPDATE", "MESSAGES_UPDATE");

    public Webhook {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
    }

    /**
     * The URL with the secret as {@code token}: for a sender that can add no header and signs nothing (WAHA Core
     * 2024.10.8 {@code WebhookSenderCore} posts the body alone). Such a server logs the URL; the secret is this
     * server's only, and what it can forge is only a hint: every event is checked against the server's API.
     */
    String urlWithToken() {
        return url + (url.contains("?") ? "&" : "?") + "token=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    }

    /**
     * WAHA's {@code config.webhooks} entry (2024.10.8 {@code src/structures/webhooks.config.dto.ts}): Plus signs with
     * {@code hmac.key} and sends {@code customHeaders}; Core uses neither, so it gets the token in the URL.
     */
    Map<String, Object> waha(boolean core) {
        return Map.of(
                "url",
                core ? urlWithToken() : url,
                "events",
                WAHA_EVENTS,
                "hmac",
                Map.of("key", secret),
                "customHeaders",
                List.of(Map.of("name", "Authorization", "value", "Bearer " + secret)));
    }

    /**
     * Evolution's {@code webhook} on instance create (2.3.6 {@code src/api/dto/instance.dto.ts}): its headers go
     * with every delivery ({@code webhook.controller.ts emit}).
     */
    Map<String, Object> evolution() {
        return Map.of(
                "enabled",
                true,
                "url",
                url,
                "byEvents",
                false,
                "base64",
                false,
                "events",
                EVOLUTION_EVENTS,
                "headers",
                Map.of("Authorization", "Bearer " + secret));
    }

    @Override
    public String toString() {
        return "Webhook[" + url + ", secret=***]";
    }
}
