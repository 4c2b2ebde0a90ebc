package io.wafleet.router.api;

import io.wafleet.avro.OutboundMessage;
import io.wafleet.router.messages.MessageProblems;
import io.wafleet.router.messages.Messages;
import io.wafleet.router.messages.RecentMessages;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Outbound messages: {@code POST /api/v1/accounts/{id}/messages} posts one to wa.outbound-messages (as a producer
 * would; the account's owner sends it) and answers 202 with its id; its steps come on wa.message-events. {@code GET}
 * lists the account's latest messages from the audit.
 */
@RestController
class MessagesController {

    private final Messages messages;
    private final RecentMessages recent;

    MessagesController(Messages messages, RecentMessages recent) {
        this.messages = messages;
        this.recent = recent;
    }

    @PostMapping("/api/v1/accounts/{id}/messages")
    CompletableFuture<ResponseEntity<?>> post(
            @PathVariable String id,
            @RequestBody(required = false) Map<String, Object> body,
            HttpServletRequest request) {
        if (body == null) {
            throw new BadField("body", "must be a JSON object with recipient and text");
        }
        Json json = new Json(body, "");
        OutboundMessage message = OutboundMessage.newBuilder()
                .setAccountId(id)
                .setMessageId(json.text("messageId", UUID.randomUUID().toString()))
                .setRecipient(json.requiredText("recipient"))
                .setText(text(body))
                .setExpiresAt(expiresAt(json))
                .setRequestedAt(Instant.now())
                .setRequestedBy(Actor.of(request))
                .setMetadata(metadata(json))
                .build();
        MessageProblems.Problem problem = messages.problem(message);
        if (problem != null) {
            throw new BadField(problem.field(), problem.detail());
        }
        return messages.post(message)
                .orTimeout(10, TimeUnit.SECONDS)
                .<ResponseEntity<?>>thenApply(posted -> ResponseEntity.accepted()
                        .body(Map.of("messageId", message.getMessageId(), "accountId", id, "status", "POSTED")))
                .exceptionally(error -> Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "urn:wafleet:problem:broker-unavailable",
                        "The message could not be posted",
                        "the broker did not take it in time; post it again (the same messageId is sent once)"));
    }

    @GetMapping("/api/v1/accounts/{id}/messages")
    ResponseEntity<?> recent(@PathVariable String id, @RequestParam(required = false) String limit) {
        int count;
        try {
            count = limit == null ? 20 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new BadField("limit", "must be a whole number from 1 to 200");
        }
        if (count < 1 || count > 200) {
            throw new BadField("limit", "must be a whole number from 1 to 200");
        }
        try {
            List<Map<String, Object>> rows = recent.of(id, count);
            return ResponseEntity.ok(Map.of("accountId", id, "messages", rows));
        } catch (SQLException e) {
            return auditUnavailable(e);
        }
    }

    @GetMapping("/api/v1/messages/summary")
    ResponseEntity<?> summary() {
        try {
            return ResponseEntity.ok(recent.summary());
        } catch (SQLException e) {
            return auditUnavailable(e);
        }
    }

    private static ResponseEntity<?> auditUnavailable(SQLException e) {
        return Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "urn:wafleet:problem:database-unavailable",
                "The audit cannot be read",
                "PostgreSQL did not answer: " + e.getSQLState());
    }

    /** The text as posted: line breaks and tabs are a message's own (the JSON reader refuses them elsewhere). */
    private static String text(Map<String, Object> body) {
        Object text = body.get("text");
        if (text == null) {
            throw new BadField("text", "is missing");
        }
        if (!(text instanceof String string)) {
            throw new BadField("text", "must be a string");
        }
        return string;
    }

    private static Instant expiresAt(Json json) {
        String text = json.text("expiresAt", null);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadField("expiresAt", "must be an ISO-8601 instant (2026-12-04T10:00:00Z)");
        }
    }

    private static Map<String, String> metadata(Json json) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (!json.has("metadata")) {
            return metadata;
        }
        Json object = json.object("metadata");
        for (String key : object.keys()) {
            metadata.put(key, object.text(key, ""));
        }
        return metadata;
    }
}
