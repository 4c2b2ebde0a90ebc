package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * WAHA's session calls (devlikeapro/waha 2024.10.8 {@code src/api/sessions.controller.ts}, {@code
 * src/api/auth.controller.ts}): creating and starting a session, reading it with its QR, deleting it.
 */
final class WahaSessions {

    /** Core sleeps 3 s after stopping a running session (2024.10.8 manager.core.ts SESSION_STOP_TIMEOUT). */
    static final Duration STOP_WAIT = Duration.ofSeconds(3);

    /** The QR call waits up to 5 s for SCAN_QR_CODE (2024.10.8 SessionManager.WAIT_STATUS_TIMEOUT). */
    static final Duration QR_WAIT = Duration.ofSeconds(5);

    private final HttpCaller http;
    private final WahaCoreSessions core;
    private final Webhook webhook;

    WahaSessions(HttpCaller http, Webhook webhook) {
        this.http = http;
        this.webhook = webhook;
        this.core = new WahaCoreSessions(http, this);
    }

    WahaCoreSessions core() {
        return core;
    }

    /**
     * Creates and starts the session; one that exists already (422 "already exists") is started instead, which
     * answers 422 again when it runs ("already started", 2024.10.8 {@code SessionManagerCore.start}): then it is
     * read as it is.
     */
    CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String name) {
        return create(accountId, name, false).thenCompose(created -> {
            if (created instanceof CallResult.Ok<JsonNode> ok && ok.httpStatus() == 422) {
                return http.json("POST", path(name) + "/start", null, Set.of(422))
                        .thenCompose(started -> DialectClient.andThen(started, json -> status(accountId, name)));
            }
            return withQr(accountId, name, created);
        });
    }

    /** POST /api/sessions: 201 with the session, or 422 when the name exists. */
    CompletableFuture<CallResult<JsonNode>> create(String accountId, String name, boolean core) {
        Map<String, Object> body = Map.of("name", name, "start", true, "config", config(accountId, core));
        return http.json("POST", "/api/sessions", body, Set.of(422));
    }

    /**
     * A session's {@code config}: the account in {@code metadata} (since 2024.9.1, {@code
     * src/structures/sessions.dto.ts}) and, unless turned off, the webhook its status events go to.
     */
    Map<String, Object> config(String accountId, boolean core) {
        Map<String, Object> metadata = Map.of(WahaClient.ACCOUNT_KEY, accountId);
        return webhook == null
                ? Map.of("metadata", metadata)
                : Map.of("metadata", metadata, "webhooks", List.of(webhook.waha(core)));
    }

    CompletableFuture<CallResult<SessionInfo>> status(String accountId, String name) {
        return http.json("GET", path(name), null).thenCompose(result -> withQr(accountId, name, result));
    }

    /** DELETE answers 200 with no body, for a session that exists or not. */
    CompletableFuture<CallResult<SessionInfo>> delete(String accountId, String name) {
        return http.jsonAfterWait("DELETE", path(name), null, Set.of(404), STOP_WAIT)
                .thenApply(deleted -> deleted.map(
                        json -> new SessionInfo(accountId, AccountState.DISCONNECTED, null, null, "STOPPED")));
    }

    /** The session read from an answer, with its QR when it waits for a scan. */
    CompletableFuture<CallResult<SessionInfo>> withQr(String accountId, String name, CallResult<JsonNode> answer) {
        CallResult<SessionInfo> session = Json.read(answer, json -> session(accountId, json));
        if (!(session instanceof CallResult.Ok<SessionInfo> ok) || ok.value().state() != AccountState.QR_REQUIRED) {
            return CompletableFuture.completedFuture(session);
        }
        SessionInfo info = ok.value();
        return qr(name).thenApply(qr -> qr.map(
                code -> new SessionInfo(accountId, info.state(), info.connectionId(), code, info.serverStatus())));
    }

    /**
     * The QR as JSON: WAHA answers {@code {mimetype, data}} only when Accept is exactly {@code application/json}
     * (2024.10.8 {@code src/nestjs/BufferResponseInterceptor.ts}), a PNG otherwise.
     */
    CompletableFuture<CallResult<String>> qr(String name) {
        return http.jsonAfterWait("GET", "/api/" + Json.encode(name) + "/auth/qr?format=image", null, Set.of(), QR_WAIT)
                .thenApply(result -> Json.read(
                        result,
                        json -> "data:" + Json.required(json, "mimetype") + ";base64," + Json.required(json, "data")));
    }

    /** The account a session belongs to, from its metadata; null for a session wafleet did not make. */
    static String owner(JsonNode session) {
        return Json.text(session.path("config").path("metadata"), WahaClient.ACCOUNT_KEY);
    }

    static String path(String name) {
        return "/api/sessions/" + Json.encode(name);
    }

    /** WAHASessionStatus (2024.10.8 {@code src/structures/enums.dto.ts}) in our states. */
    static SessionInfo session(String accountId, JsonNode json) {
        String status = Json.required(json, "status");
        AccountState state = switch (status) {
            case "STOPPED" -> AccountState.DISCONNECTED;
            case "STARTING" -> AccountState.CONNECTING;
            case "SCAN_QR_CODE" -> AccountState.QR_REQUIRED;
            case "WORKING" -> AccountState.CONNECTED;
            case "FAILED" -> AccountState.FAILED;
            default -> throw new Json.BadBody("unknown WAHA session status '" + status + "'");
        };
        return new SessionInfo(accountId, state, null, null, status);
    }
}
