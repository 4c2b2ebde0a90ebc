package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerNotice;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * WAHA's webhooks (devlikeapro/waha 2024.10.8 {@code src/core/webhooks.core.ts callWebhook}: {@code {event,
 * session, metadata, me, payload, engine, environment}}; {@code session.status} carries {@code {name, status}},
 * {@code src/core/abc/session.abc.ts}, sent on every status change and again on every QR refresh). The account is the
 * session's {@code metadata["wafleet.accountId"]} that wafleet set when it created the session, else the session's
 * name. WAHA Plus adds the delivery's id and time as {@code X-Webhook-Request-Id} and {@code X-Webhook-Timestamp}
 * (milliseconds); later versions list the last statuses with their timestamps ({@code payload.statuses}), the newest
 * of which is the server's time when the headers do not give one.
 */
final class WahaNotices {

    static final String SESSION_STATUS = "session.status";
    /** A sent message's acknowledgement: {@link AckNotices#waha}. */
    static final String MESSAGE_ACK = "message.ack";

    /** WAHAEvents of 2024.10.8 ({@code src/structures/enums.dto.ts}) that say nothing of a session's state. */
    private static final Set<String> OTHER_EVENTS = Set.of(
            "message",
            "message.reaction",
            "message.any",
            "message.waiting",
            "message.revoked",
            "state.change",
            "group.join",
            "group.leave",
            "presence.update",
            "poll.vote",
            "poll.vote.failed",
            "chat.archive",
            "call.received",
            "call.accepted",
            "call.rejected",
            "label.upsert",
            "label.deleted",
            "label.chat.added",
            "label.chat.deleted");

    private WahaNotices() {}

    static Optional<ServerNotice> read(
            ServerNotices.Delivery delivery, JsonNode json, String fallbackId, Instant receivedAt) {
        String event = ServerNotices.required(json, "event", "a WAHA webhook");
        if (OTHER_EVENTS.contains(event)) {
            return Optional.empty();
        }
        if (!SESSION_STATUS.equals(event) && !MESSAGE_ACK.equals(event)) {
            throw new ServerNotices.Unreadable("WAHA has no event '" + event + "'");
        }
        String session = ServerNotices.required(json, "session", event);
        JsonNode payload = json.path("payload");
        String accountId = Json.text(json.path("metadata"), WahaClient.ACCOUNT_KEY);
        Map<String, String> headers = delivery.headers();
        String requestId = headers.get("x-webhook-request-id");
        ServerNotice.Builder notice = ServerNotice.newBuilder()
                .setNoticeId(requestId == null || requestId.isBlank() ? fallbackId : requestId)
                .setServerId(delivery.serverId())
                .setAccountId(accountId != null ? accountId : session)
                .setSessionName(session)
                .setDialect(Dialect.WAHA)
                .setEvent(event)
                .setServerTime(serverTime(headers, payload))
                .setReceivedAt(receivedAt)
                .setKind(NoticeKind.STATUS_CHANGED);
        if (MESSAGE_ACK.equals(event)) {
            return AckNotices.waha(notice, payload, event);
        }
        String status = ServerNotices.required(payload, "status", event + " payload");
        AccountState state = switch (status) {
            case "STOPPED" -> AccountState.DISCONNECTED;
            case "STARTING" -> AccountState.CONNECTING;
            case "SCAN_QR_CODE" -> AccountState.QR_REQUIRED;
            case "WORKING" -> AccountState.CONNECTED;
            case "FAILED" -> AccountState.FAILED;
            default -> throw new ServerNotices.Unreadable("unknown WAHA session status '" + status + "'");
        };
        Map<String, String> details = new LinkedHashMap<>();
        String engine = Json.text(json, "engine");
        if (engine != null) {
            details.put("engine", engine);
        }
        return Optional.of(
                notice.setKind(state == AccountState.QR_REQUIRED ? NoticeKind.QR_UPDATED : NoticeKind.STATUS_CHANGED)
                        .setState(state)
                        .setServerStatus(status)
                        .setReason(meaning(status))
                        .setDetails(details)
                        .build());
    }

    private static String meaning(String status) {
        return switch (status) {
            case "STOPPED" -> "the session was stopped";
            case "FAILED" -> "the session failed (WAHA: restart it, or log in again with a new QR)";
            case "SCAN_QR_CODE" -> "waiting for a scan (a new QR code)";
            default -> null;
        };
    }

    private static Instant serverTime(Map<String, String> headers, JsonNode payload) {
        String header = headers.get("x-webhook-timestamp");
        Instant fromHeader = header == null ? null : ServerNotices.time(header);
        if (fromHeader != null) {
            return fromHeader;
        }
        Instant newest = null;
        for (JsonNode status : payload.path("statuses")) {
            Instant at = ServerNotices.time(status.path("timestamp"));
            if (at != null && (newest == null || at.isAfter(newest))) {
                newest = at;
            }
        }
        return newest;
    }
}
