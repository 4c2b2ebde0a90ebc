package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * WAHA's {@code POST /api/sendText} (devlikeapro/waha 2024.10.8 {@code src/api/chatting.controller.ts}): body
 * {@code MessageTextRequest {session, chatId, text}} ({@code src/structures/chatting.dto.ts}), the session must be
 * WORKING ({@code manager.getWorkingSession}: WAHA waits up to {@code WAIT_STATUS_TIMEOUT} = 5 s, then answers 422
 * {@code {error, session, status, expected}}, {@code src/core/abc/manager.abc.ts}); NestJS answers a POST 201 with
 * what the engine returned: WEBJS's whatsapp-web.js Message ({@code id: {fromMe, remote, id, _serialized}, ack,
 * body, type, timestamp, from, to}). What the engine throws (WhatsApp's {@code rate-overlimit}, a failed send) is a
 * 500 with the serialized error ({@code src/nestjs/AllExceptionsFilter.ts}).
 */
final class WahaSends {

    /** manager.abc.ts WAIT_STATUS_TIMEOUT. */
    static final long WAIT_STATUS_MS = 5_000;

    private final SimulatedServer server;
    private final WahaSessionCalls calls;

    WahaSends(SimulatedServer server, WahaSessionCalls calls) {
        this.server = server;
        this.calls = calls;
    }

    Reply sendText(Request request) {
        JsonNode body = request.json();
        String chatId = body.path("chatId").asText("");
        String text = body.path("text").asText("");
        if (chatId.isEmpty() || !body.path("text").isTextual()) {
            return WahaApi.error(
                    400,
                    "Bad Request",
                    List.of(chatId.isEmpty() ? "chatId should not be empty" : "text must be a string"));
        }
        String name = body.path("session").asText(WahaApi.CORE_SESSION);
        return calls.existing(name, session -> {
            Session.State state = server.sessions().stateOf(session);
            if (state != Session.State.WORKING) {
                String status = state == Session.State.RECONNECTING ? "STARTING" : state.name();
                return WahaApi.notAsExpected(name, status, "WORKING").after(WAIT_STATUS_MS);
            }
            return switch (server.sends().send(session, chatId)) {
                case SENT -> sent(session, chatId, text);
                case RATE_LIMITED -> thrown(request, "rate-overlimit");
                case NOT_ON_WHATSAPP -> thrown(request, "Evaluation failed: Error: wid error: invalid wid");
                case FAILED -> thrown(request, "Evaluation failed: Error: the message could not be sent");
            };
        });
    }

    private Reply sent(Session session, String chatId, String text) {
        String id = SessionSends.newId();
        String serialized = "true_" + chatId + "_" + id;
        server.sends().sent(session, serialized, chatId);
        Instant now = server.clock().instant();
        return Reply.json(
                201,
                Json.object(
                        "id",
                        Json.object("fromMe", true, "remote", chatId, "id", id, "_serialized", serialized),
                        "ack",
                        0,
                        "hasMedia",
                        false,
                        "body",
                        text,
                        "type",
                        "chat",
                        "timestamp",
                        now.getEpochSecond(),
                        "from",
                        WahaApi.phone(session) + "@c.us",
                        "to",
                        chatId,
                        "fromMe",
                        true));
    }

    /** An error the engine threw, as AllExceptionsFilter renders a non-HttpException. */
    private Reply thrown(Request request, String message) {
        Map<String, Object> exception = Json.object("message", message, "name", "Error");
        return Reply.json(
                500,
                Json.object(
                        "statusCode", 500,
                        "timestamp", server.clock().instant().toString(),
                        "exception", exception,
                        "request", Json.object("path", "/api/sendText", "method", request.method()),
                        "version", server.spec().version()));
    }
}
