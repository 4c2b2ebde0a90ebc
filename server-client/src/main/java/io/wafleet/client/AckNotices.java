package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerNotice;
import java.util.Map;
import java.util.Optional;

/**
 * A sent message's acknowledgement as a {@link NoticeKind#MESSAGE_ACK} notice: {@code details.messageId} the
 * server's id of the message (as its send answered it), {@code details.ack} wafleet's word for it (DELIVERED, READ or
 * ERROR), {@code serverStatus} the server's. Acknowledgements of messages the account received, and the steps before
 * delivery (pending, on WhatsApp's server), say nothing wafleet reports: they are not notices.
 */
final class AckNotices {

    /** The key of the server's message id in a MESSAGE_ACK notice's details. */
    static final String MESSAGE_ID = "messageId";
    /** The key of the acknowledgement in wafleet's words. */
    static final String ACK = "ack";

    private AckNotices() {}

    /**
     * WAHA {@code message.ack} (2024.10.8 {@code src/structures/webhooks.dto.ts WAMessageAckBody}: {@code id, from,
     * to, participant, fromMe, ack, ackName}; WAMessageAck of {@code enums.dto.ts}: -1 ERROR, 0 PENDING, 1 SERVER, 2
     * DEVICE, 3 READ, 4 PLAYED).
     */
    static Optional<ServerNotice> waha(ServerNotice.Builder notice, JsonNode payload, String event) {
        if (!payload.path("fromMe").asBoolean(false)) {
            return Optional.empty();
        }
        String id = ServerNotices.required(payload, "id", event + " payload");
        if (!payload.path("ack").isIntegralNumber()) {
            throw new ServerNotices.Unreadable(event + " payload has no numeric 'ack'");
        }
        int ack = payload.path("ack").asInt();
        String ours = ack == -1 ? "ERROR" : ack == 2 ? "DELIVERED" : ack >= 3 ? "READ" : null;
        String name = Json.text(payload, "ackName");
        return of(notice, id, ours, name != null ? name : Integer.toString(ack));
    }

    /**
     * Evolution {@code messages.update} (2.3.6 {@code whatsapp.baileys.service.ts}: {@code keyId, remoteJid, fromMe,
     * participant, status, instanceId}; status by {@code src/utils/renderStatus.ts}: ERROR, PENDING, SERVER_ACK,
     * DELIVERY_ACK, READ, PLAYED, or DELETED).
     */
    static Optional<ServerNotice> evolution(ServerNotice.Builder notice, JsonNode data, String event) {
        if (!data.path("fromMe").asBoolean(false)) {
            return Optional.empty();
        }
        String id = ServerNotices.required(data, "keyId", event + " data");
        String status = ServerNotices.required(data, "status", event + " data");
        String ours = switch (status) {
            case "ERROR" -> "ERROR";
            case "DELIVERY_ACK" -> "DELIVERED";
            case "READ", "PLAYED" -> "READ";
            case "PENDING", "SERVER_ACK", "DELETED" -> null;
            default -> throw new ServerNotices.Unreadable("unknown Evolution message status '" + status + "'");
        };
        return of(notice, id, ours, status);
    }

    private static Optional<ServerNotice> of(ServerNotice.Builder notice, String id, String ours, String theirs) {
        if (ours == null) {
            return Optional.empty();
        }
        return Optional.of(notice.setKind(NoticeKind.MESSAGE_ACK)
                .setServerStatus(theirs)
                .setDetails(Map.of(MESSAGE_ID, id, ACK, ours))
                .build());
    }
}
