package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sending a text in each dialect, and what each server's answer means. The reasons are wafleet's own words (what a
 * server's error body says is not copied: it may echo anything), naming at most the server's state of the session.
 */
final class MessageSends {

    /** Statuses read as answers rather than failures: the dialect says what they mean. */
    private static final Set<Integer> READ = Set.of(400, 401, 403, 404, 409, 422, 429, 500);

    private MessageSends() {}

    /**
     * WAHA 2024.10.8 {@code src/api/chatting.controller.ts}: {@code POST /api/sendText} {@code {session, chatId,
     * text}}; the chat id of a phone number is {@code <digits>@c.us} ({@code session.abc.ts ensureSuffix}). The
     * session must be WORKING: WAHA waits up to 5 s for it, then answers 422 ({@code manager.abc.ts
     * waitUntilStatus}); an unknown session is 404; what the engine throws is a 500 ({@code AllExceptionsFilter}).
     * WEBJS answers whatsapp-web.js's Message ({@code id._serialized}); NOWEB Baileys' WAMessage, whose {@code key}
     * WAHA's acknowledgements name as {@code <fromMe>_<chat>@c.us_<id>} ({@code session.noweb.core.ts
     * buildMessageId}).
     */
    static CompletableFuture<SendResult> waha(HttpCaller http, String session, String recipient, String text) {
        String chatId = recipient.contains("@") ? recipient : recipient + "@c.us";
        Map<String, String> body = Map.of("session", session, "chatId", chatId, "text", text);
        return send(http, "/api/sendText", body, Duration.ofSeconds(5), (status, json) -> switch (status) {
            case 404, 422 ->
                refused(
                        SendResult.Refusal.NOT_CONNECTED,
                        status,
                        "the session " + session + " is "
                                + (status == 404
                                        ? "not on the server"
                                        : "not working (" + Json.text(json, "status") + ")"));
            case 400 -> refused(SendResult.Refusal.REJECTED, status, "the server refused the message as invalid");
            case 401, 403 -> refused(SendResult.Refusal.NOT_SENT, status, "the server refused wafleet's API key");
            case 429 -> refused(SendResult.Refusal.RATE_LIMITED, status, "the server asks to send more slowly");
            case 500 ->
                overLimit(Json.text(json.path("exception"), "message"))
                        ? refused(SendResult.Refusal.RATE_LIMITED, status, "WhatsApp refused it: rate-overlimit")
                        : refused(SendResult.Refusal.REJECTED, status, "the server failed to send it (HTTP 500)");
            default -> sent(wahaId(json));
        });
    }

    private static String wahaId(JsonNode json) {
        JsonNode id = json.path("id");
        if (id.isObject()) {
            return Json.text(id, "_serialized");
        }
        if (id.isTextual()) {
            return id.asText();
        }
        JsonNode key = json.path("key");
        String keyId = Json.text(key, "id");
        String chat = Json.text(key, "remoteJid");
        if (keyId == null || chat == null) {
            return null;
        }
        return key.path("fromMe").asBoolean(true) + "_" + chat.replace("@s.whatsapp.net", "@c.us") + "_" + keyId;
    }

    /**
     * Evolution 2.3.6 {@code src/api/routes/sendMessage.router.ts}: {@code POST /message/sendText/{instance}}
     * {@code {number, text}} answers 201 with the sent message ({@code key.id}); 1.8.2 takes {@code {number,
     * textMessage: {text}}}. An unknown instance is 404 ({@code instance.guard.ts}); a number not on WhatsApp or an
     * empty text 400 ({@code whatsapp.baileys.service.ts sendMessageWithTyping, textMessage}); a closed connection
     * is thrown by Baileys ("Connection Closed") and answered 500 by {@code main.ts}'s error handler.
     */
    static CompletableFuture<SendResult> evolution(
            HttpCaller http, boolean v2, String instance, String recipient, String text) {
        Map<String, Object> body = v2
                ? Map.of("number", recipient, "text", text)
                : Map.of("number", recipient, "textMessage", Map.of("text", text));
        return send(
                http,
                "/message/sendText/" + Json.encode(instance),
                body,
                Duration.ZERO,
                (status, json) -> switch (status) {
                    case 404 ->
                        refused(
                                SendResult.Refusal.NOT_CONNECTED,
                                status,
                                "the instance " + instance + " is not on the server");
                    case 400 ->
                        overLimit(json.path("response").path("message").toString())
                                ? refused(
                                        SendResult.Refusal.RATE_LIMITED, status, "WhatsApp refused it: rate-overlimit")
                                : refused(SendResult.Refusal.REJECTED, status, evolutionRefusal(json));
                    case 401, 403 ->
                        refused(SendResult.Refusal.NOT_SENT, status, "the server refused wafleet's API key");
                    case 429 -> refused(SendResult.Refusal.RATE_LIMITED, status, "the server asks to send more slowly");
                    case 500 ->
                        "Connection Closed".equals(Json.text(json.path("response"), "message"))
                                ? refused(SendResult.Refusal.NOT_CONNECTED, status, "the instance is not connected")
                                : refused(
                                        SendResult.Refusal.REJECTED, status, "the server failed to send it (HTTP 500)");
                    default -> sent(Json.text(json.path("key"), "id"));
                });
    }

    /**
     * WhatsApp's answer to a session sending too fast, {@code rate-overlimit} (a token of Baileys v7.0.0-rc.6 {@code
     * src/WABinary/constants.ts}), as the engine's error text: WAHA renders it in a 500, Evolution in a 400.
     */
    private static boolean overLimit(String error) {
        return error != null && error.contains("rate-overlimit");
    }

    /** A 400's {@code response.message}: the onWhatsApp answer for a number not on WhatsApp, else a text. */
    private static String evolutionRefusal(JsonNode json) {
        JsonNode message = json.path("response").path("message");
        JsonNode first = message.isArray() ? message.path(0) : message;
        if (first.isObject() && first.has("exists") && !first.path("exists").asBoolean()) {
            return "the number is not on WhatsApp";
        }
        return "the server refused the message as invalid";
    }

    /**
     * The seed contract's send (wafleet's extension of it, documented in the README): {@code POST
     * /api/accounts/{id}/messages} {@code {to, text}} answers 201 {@code {messageId}}; 404 unknown account, 409 not
     * connected, 400 invalid, 429 too many.
     */
    static CompletableFuture<SendResult> seed(HttpCaller http, String accountId, String recipient, String text) {
        Map<String, String> body = Map.of("to", recipient, "text", text);
        String path = "/api/accounts/" + Json.encode(accountId) + "/messages";
        return send(http, path, body, Duration.ZERO, (status, json) -> switch (status) {
            case 404, 409 -> refused(SendResult.Refusal.NOT_CONNECTED, status, "the account is not connected there");
            case 400 -> refused(SendResult.Refusal.REJECTED, status, "the server refused the message as invalid");
            case 401, 403 -> refused(SendResult.Refusal.NOT_SENT, status, "the server refused wafleet's API key");
            case 429 -> refused(SendResult.Refusal.RATE_LIMITED, status, "the server asks to send more slowly");
            case 500 -> refused(SendResult.Refusal.REJECTED, status, "the server failed to send it (HTTP 500)");
            default -> sent(Json.text(json, "messageId"));
        });
    }

    /** What one dialect makes of an answer: a status it reads, or a 2xx with the sent message. */
    private interface Reading {
        Function<Duration, SendResult> read(int status, JsonNode json);
    }

    private static CompletableFuture<SendResult> send(
            HttpCaller http, String path, Object body, Duration serverWait, Reading reading) {
        long started = System.nanoTime();
        return http.jsonAfterWait("POST", path, body, READ, serverWait).thenApply(result -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            if (result instanceof CallResult.Ok<JsonNode> ok) {
                return reading.read(ok.httpStatus(), ok.value()).apply(latency);
            }
            return failed((CallResult.Failed<JsonNode>) result, latency);
        });
    }

    private static Function<Duration, SendResult> sent(String serverMessageId) {
        return latency -> serverMessageId == null || serverMessageId.isBlank()
                ? new SendResult.Refused(
                        SendResult.Refusal.OUTCOME_UNKNOWN, null, "the server answered without a message id", latency)
                : new SendResult.Sent(serverMessageId, latency);
    }

    private static Function<Duration, SendResult> refused(SendResult.Refusal refusal, int status, String reason) {
        return latency -> new SendResult.Refused(refusal, status, reason, latency);
    }

    /** A call made before the send (the server's version) failed: the send was never made. */
    static SendResult beforeSend(CallResult.Failed<?> failed) {
        return new SendResult.Refused(
                SendResult.Refusal.NOT_SENT,
                failed.httpStatus(),
                "the server's version could not be read (" + failed.kind() + ": " + failed.message() + ")",
                failed.latency());
    }

    /** A call that failed: nothing sent when it never reached the server, otherwise perhaps sent. */
    static SendResult failed(CallResult.Failed<?> failed, Duration latency) {
        Integer status = failed.httpStatus();
        SendResult.Refusal refusal = switch (failed.kind()) {
            case CONNECT_REFUSED, DNS, TLS, ADDRESS_REFUSED, UNSUPPORTED_SERVER -> SendResult.Refusal.NOT_SENT;
            case TIMEOUT ->
                "connect timed out".equals(failed.message())
                        ? SendResult.Refusal.NOT_SENT
                        : SendResult.Refusal.OUTCOME_UNKNOWN;
            // A proxy's 502 / 503 never reached the server; any other error status is the server's refusal; an
            // error page that is not JSON as well.
            case HTTP_STATUS, BAD_BODY ->
                status == null
                        ? SendResult.Refusal.OUTCOME_UNKNOWN
                        : status == 502 || status == 503
                                ? SendResult.Refusal.NOT_SENT
                                : status >= 400 && status != 504
                                        ? SendResult.Refusal.REJECTED
                                        : SendResult.Refusal.OUTCOME_UNKNOWN;
            default -> SendResult.Refusal.OUTCOME_UNKNOWN;
        };
        return new SendResult.Refused(refusal, status, failed.kind() + ": " + failed.message(), latency);
    }
}
