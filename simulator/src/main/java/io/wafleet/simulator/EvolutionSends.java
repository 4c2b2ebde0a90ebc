package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Evolution's {@code POST /message/sendText/{instance}} (EvolutionAPI/evolution-api 2.3.6 {@code
 * src/api/routes/sendMessage.router.ts}: 201 with the sent message; 1.8.2 the same route). Body: v2 {@code {number,
 * text}} ({@code src/validate/message.schema.ts textMessageSchema}), v1.8 {@code {number, textMessage: {text}}}
 * (1.8.2 {@code validate.schema.ts}). An unknown instance is 404 ({@code instance.guard.ts instanceExistsGuard}); an
 * empty text 400 "Text is required" and a number not on WhatsApp 400 with the onWhatsApp answer ({@code
 * whatsapp.baileys.service.ts textMessage, sendMessageWithTyping}); what Baileys throws while sending is rethrown as a
 * 400 with the error's text (its catch: {@code new BadRequestException(error.toString())}); a closed connection is
 * Baileys' "Connection Closed" from the number check, outside that catch, which {@code main.ts} answers 500. The
 * answer is {@code prepareMessage(messageSent)}: {@code key, pushName, status, message, messageType,
 * messageTimestamp, instanceId, source}.
 */
final class EvolutionSends {

    private final SimulatedServer server;
    private final boolean v2;

    EvolutionSends(SimulatedServer server, boolean v2) {
        this.server = server;
        this.v2 = v2;
    }

    Reply sendText(String instance, JsonNode body) {
        var found = server.sessions().find(instance);
        if (found.isEmpty()) {
            return EvolutionApi.error(404, "Not Found", "The \"" + instance + "\" instance does not exist");
        }
        Session session = found.get();
        String number = body.path("number").asText("");
        String text = v2
                ? body.path("text").asText("")
                : body.path("textMessage").path("text").asText("");
        if (number.isEmpty()) {
            return EvolutionApi.error(400, "Bad Request", "number is a required property");
        }
        if (text.isBlank()) {
            return EvolutionApi.error(400, "Bad Request", "Text is required");
        }
        if (server.sessions().stateOf(session) != Session.State.WORKING) {
            return Reply.json(
                    500,
                    Json.object(
                            "status",
                            500,
                            "error",
                            "Internal Server Error",
                            "response",
                            Json.object("message", "Connection Closed")));
        }
        String jid = (number.contains("@") ? number.substring(0, number.indexOf('@')) : number) + "@s.whatsapp.net";
        return switch (server.sends().send(session, number)) {
            case SENT -> sent(session, jid, text);
            case NOT_ON_WHATSAPP ->
                Reply.json(
                        400,
                        Json.object(
                                "status",
                                400,
                                "error",
                                "Bad Request",
                                "response",
                                Json.object(
                                        "message",
                                        List.of(Json.object("exists", false, "jid", jid, "number", number)))));
            case RATE_LIMITED -> EvolutionApi.error(400, "Bad Request", "Error: rate-overlimit");
            case FAILED -> EvolutionApi.error(400, "Bad Request", "Error: the message could not be sent");
        };
    }

    private Reply sent(Session session, String jid, String text) {
        String id = SessionSends.newId();
        server.sends().sent(session, id, jid);
        Map<String, Object> key = Json.object("remoteJid", jid, "fromMe", true, "id", id);
        return Reply.json(
                201,
                Json.object(
                        "key",
                        key,
                        "pushName",
                        session.name(),
                        "status",
                        "PENDING",
                        "message",
                        Json.object("conversation", text),
                        "messageType",
                        "conversation",
                        "messageTimestamp",
                        server.clock().instant().getEpochSecond(),
                        "instanceId",
                        session.connectionId(),
                        "source",
                        "unknown"));
    }
}
