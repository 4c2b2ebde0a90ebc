package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * WAHA Core's one session, {@code default} (devlikeapro/waha 2024.10.8 {@code src/core/manager.core.ts}): it exists,
 * STOPPED, from the server's start until it is deleted; any other name is a 422 ({@code onlyDefault()}). The session
 * belongs to the account named in its metadata; an account asks for it only while it is free or its own.
 */
final class WahaCoreSessions {

    static final String DEFAULT = "default";

    private final HttpCaller http;
    private final WahaSessions sessions;

    WahaCoreSessions(HttpCaller http, WahaSessions sessions) {
        this.http = http;
        this.sessions = sessions;
    }

    /**
     * Removed (404): created for the account. STOPPED and the account's own: its config updated and started, so a
     * logged-in session comes back without a QR. STOPPED and someone else's (or nobody's): deleted with its login,
     * then created. Running and the account's own: read as it is; someone else's: the server is full.
     */
    CompletableFuture<CallResult<SessionInfo>> connect(String accountId) {
        return read().thenCompose(current -> DialectClient.andThen(current, json -> {
            if (removed(current)) {
                return createFor(accountId);
            }
            boolean own = accountId.equals(WahaSessions.owner(json));
            if (!"STOPPED".equals(Json.text(json, "status"))) {
                return own ? sessions.withQr(accountId, DEFAULT, current) : full(json);
            }
            if (!own) {
                return http.jsonOrEmpty("DELETE", WahaSessions.path(DEFAULT), null, Set.of())
                        .thenCompose(deleted -> DialectClient.andThen(deleted, ignored -> createFor(accountId)));
            }
            Map<String, Object> update = Map.of("config", sessions.config(accountId, true));
            return http.json("PUT", WahaSessions.path(DEFAULT), update)
                    .thenCompose(updated -> DialectClient.andThen(
                            updated, ignored -> http.json("POST", WahaSessions.path(DEFAULT) + "/start", null)))
                    .thenCompose(started -> sessions.withQr(accountId, DEFAULT, started));
        }));
    }

    /** The account's state while {@code default} is its own; otherwise the account is not on this server. */
    CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        return read().thenCompose(current -> DialectClient.andThen(current, json -> {
            if (removed(current)) {
                return DialectClient.failed(ErrorKind.HTTP_STATUS, 404, "WAHA Core's session 'default' is removed");
            }
            return accountId.equals(WahaSessions.owner(json))
                    ? sessions.withQr(accountId, DEFAULT, current)
                    : DialectClient.failed(
                            ErrorKind.HTTP_STATUS,
                            404,
                            "not on this server: WAHA Core's one session belongs to another account");
        }));
    }

    /** Deletes {@code default} when it is the account's; an account whose session is gone is disconnected. */
    CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        return read().thenCompose(current -> DialectClient.andThen(current, json -> {
            if (removed(current) || !accountId.equals(WahaSessions.owner(json))) {
                return CompletableFuture.completedFuture(new CallResult.Ok<>(
                        new SessionInfo(accountId, AccountState.DISCONNECTED, null, null, "STOPPED"),
                        200,
                        current.latency()));
            }
            return sessions.delete(accountId, DEFAULT);
        }));
    }

    /** GET default: 404 once removed (2024.10.8); 2024.9.1 answers a removed session with 200 and no body. */
    private CompletableFuture<CallResult<JsonNode>> read() {
        return http.jsonOrEmpty("GET", WahaSessions.path(DEFAULT), null, Set.of(404));
    }

    private static boolean removed(CallResult<JsonNode> read) {
        CallResult.Ok<JsonNode> ok = (CallResult.Ok<JsonNode>) read;
        return ok.httpStatus() == 404 || ok.value().isNull();
    }

    private CompletableFuture<CallResult<SessionInfo>> createFor(String accountId) {
        return sessions.create(accountId, DEFAULT, true)
                .thenCompose(created -> created instanceof CallResult.Ok<JsonNode> ok && ok.httpStatus() == 422
                        ? DialectClient.<SessionInfo>failed(
                                ErrorKind.SERVER_FULL, 422, "WAHA Core's session 'default' was created meanwhile")
                        : sessions.withQr(accountId, DEFAULT, created));
    }

    private static CompletableFuture<CallResult<SessionInfo>> full(JsonNode session) {
        return DialectClient.failed(
                ErrorKind.SERVER_FULL,
                null,
                "WAHA Core hosts one account and its session 'default' is " + Json.text(session, "status")
                        + " for another");
    }
}
