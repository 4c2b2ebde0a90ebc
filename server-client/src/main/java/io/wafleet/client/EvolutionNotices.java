package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerNotice;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Evolution API's events, by webhook or on its own Kafka topics (EvolutionAPI/evolution-api 2.3.6 {@code
 * src/api/integrations/event/webhook/webhook.controller.ts emit}: {@code {event, instance, data, destination,
 * date_time, sender, server_url, apikey}}; {@code kafka/kafka.controller.ts} adds {@code timestamp}). The instance
 * is the account (wafleet names it after the account). {@code apikey} is the instance's key and is never read.
 * {@code date_time} is the server's local time written with a {@code Z} (2.3.6 {@code channel.service.ts
 * sendDataWebhook} shifts by the time-zone offset): {@code timestamp} (epoch milliseconds) is preferred when there is
 * one, and both only order one server's events.
 */
final class EvolutionNotices {

    /** EventController.events of 2.3.6 in the {@code event} field's spelling, for the events read elsewhere. */
    private static final Set<String> OTHER_EVENTS = Set.of(
            "messages.set",
            "messages.upsert",
            "messages.edited",
            "messages.delete",
            "send.message",
            "send.message.update",
            "contacts.set",
            "contacts.upsert",
            "contacts.update",
            "presence.update",
            "chats.set",
            "chats.upsert",
            "chats.update",
            "chats.delete",
            "groups.upsert",
            "group.update",
            "group.participants.update",
            "labels.edit",
            "labels.association",
            "call",
            "typebot.start",
            "typebot.change.status",
            "instance.create");

    private EvolutionNotices() {}

    static Optional<ServerNotice> read(String serverId, JsonNode json, String fallbackId, Instant receivedAt) {
        // Older senders and the by-events URLs spell it CONNECTION_UPDATE or connection-update.
        String event = ServerNotices.required(json, "event", "an Evolution event")
                .toLowerCase(Locale.ROOT)
                .replace('_', '.')
                .replace('-', '.');
        if (OTHER_EVENTS.contains(event)) {
            return Optional.empty();
        }
        JsonNode data = json.path("data");
        ServerNotice.Builder notice = ServerNotice.newBuilder()
                .setNoticeId(fallbackId)
                .setServerId(serverId)
                .setDialect(Dialect.EVOLUTION)
                .setEvent(event)
                .setServerTime(serverTime(json))
                .setReceivedAt(receivedAt)
                .setDetails(Map.of());
        if (event.equals("application.startup")) {
            return Optional.of(notice.setKind(NoticeKind.SERVER_STARTED)
                    .setReason("the server started: its sessions start again")
                    .build());
        }
        String instance = ServerNotices.required(json, "instance", event);
        notice.setAccountId(instance).setSessionName(instance).setKind(NoticeKind.STATUS_CHANGED);
        if (event.equals("messages.update")) {
            return AckNotices.evolution(notice, data, event);
        }
        switch (event) {
            case "connection.update" -> connection(notice, data, event);
            case "qrcode.updated" -> qr(notice, data, event);
            case "logout.instance" ->
                notice.setState(AccountState.DISCONNECTED)
                        .setServerStatus("close")
                        .setReason("logged out: needs a new QR");
            case "remove.instance", "instance.delete" ->
                notice.setState(AccountState.DISCONNECTED)
                        .setServerStatus("deleted")
                        .setReason("the instance was deleted from the server");
            case "status.instance" -> closed(notice, data.path("disconnectionReasonCode"));
            default -> throw new ServerNotices.Unreadable("Evolution has no event '" + event + "'");
        }
        return Optional.of(notice.build());
    }

    /** {@code {instance, state: open | connecting | close | refused, statusReason, wuid, profileName, ...}}. */
    private static void connection(ServerNotice.Builder notice, JsonNode data, String event) {
        String state = ServerNotices.required(data, "state", event + " data");
        Long code = Json.whole(data, "statusReason");
        notice.setServerStatus(state).setReasonCode(code == null ? null : Long.toString(code));
        switch (state) {
            case "open" -> notice.setState(AccountState.CONNECTED);
            case "connecting" -> notice.setState(AccountState.CONNECTING);
            case "close" -> {
                BaileysReasons.Meaning meaning = BaileysReasons.of(code);
                notice.setState(meaning.stateOnClose()).setReason(meaning.words());
            }
            // Sent when the QR limit is reached (2.3.6 connectionUpdate): the instance ends the session.
            case "refused" ->
                notice.setState(AccountState.FAILED).setReason("the QR code limit was reached without a scan");
            default -> throw new ServerNotices.Unreadable("unknown Evolution connection state '" + state + "'");
        }
    }

    /** {@code {qrcode: {instance, pairingCode, code, base64}}}, or {@code {message, statusCode}} at the QR limit. */
    private static void qr(ServerNotice.Builder notice, JsonNode data, String event) {
        JsonNode qrcode = data.path("qrcode");
        if (qrcode.isObject()) {
            String base64 = ServerNotices.required(qrcode, "base64", event + " qrcode");
            notice.setKind(NoticeKind.QR_UPDATED)
                    .setState(AccountState.QR_REQUIRED)
                    .setServerStatus("connecting")
                    .setQrCode(base64)
                    .setReason("waiting for a scan (a new QR code)");
            return;
        }
        String message = ServerNotices.required(data, "message", event + " data");
        Long code = Json.whole(data, "statusCode");
        notice.setState(AccountState.FAILED)
                .setServerStatus("refused")
                .setReasonCode(code == null ? null : Long.toString(code))
                .setReason(message);
    }

    /** {@code status.instance}: {@code {instance, status: closed, disconnectionReasonCode}}, a close not retried. */
    private static void closed(ServerNotice.Builder notice, JsonNode code) {
        Long reason = code.canConvertToLong() ? code.asLong() : null;
        BaileysReasons.Meaning meaning = BaileysReasons.of(reason);
        AccountState state =
                meaning.stateOnClose() == AccountState.CONNECTING ? AccountState.DISCONNECTED : meaning.stateOnClose();
        notice.setState(state)
                .setServerStatus("closed")
                .setReasonCode(reason == null ? null : Long.toString(reason))
                .setReason(meaning.words());
    }

    private static Instant serverTime(JsonNode json) {
        Instant timestamp = ServerNotices.time(json.path("timestamp"));
        return timestamp != null ? timestamp : ServerNotices.time(json.path("date_time"));
    }
}
