package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An Evolution instance's state in ours. Its live state (Baileys' {@code open | connecting | close}, 2.3.6
 * {@code BaileysStartupService.connectionUpdate}) says {@code connecting} while it starts, while it waits for a scan
 * and while it reconnects after a drop. The stored state of v2 (fetchInstances' {@code connectionStatus}) tells them
 * apart: {@code close} until the first QR, {@code connecting} once a QR was issued, {@code open} once connected, and
 * it stays {@code open} through a reconnect. A QR is only ever what the server holds ({@code base64}), never assumed.
 */
final class EvolutionStates {

    private final HttpCaller http;

    EvolutionStates(HttpCaller http) {
        this.http = http;
    }

    /** The answer of /instance/create: QR_REQUIRED with the QR it waited for, CONNECTING when none came yet. */
    static SessionInfo created(String accountId, JsonNode json) {
        JsonNode instance = json.path("instance");
        String qr = Json.text(json.path("qrcode"), "base64");
        return new SessionInfo(
                accountId,
                qr == null ? AccountState.CONNECTING : AccountState.QR_REQUIRED,
                Json.text(instance, "instanceId"),
                qr,
                Json.text(instance, "status"));
    }

    /** The account's state now: live state, and while connecting, whether it waits for a scan. */
    CompletableFuture<CallResult<SessionInfo>> status(String accountId, EvolutionServer evolution) {
        return connectionState(accountId)
                .thenCompose(result -> DialectClient.andThen(
                        result, state -> fromLive(accountId, evolution, state, result.latency())));
    }

    /** An instance that exists already: started again when it is closed (GET /instance/connect starts it). */
    CompletableFuture<CallResult<SessionInfo>> reconnect(String accountId, EvolutionServer evolution) {
        return connectionState(accountId)
                .thenCompose(result -> DialectClient.andThen(
                        result,
                        state -> "close".equals(state)
                                ? connectAnswer(accountId)
                                : fromLive(accountId, evolution, state, result.latency())));
    }

    private CompletableFuture<CallResult<String>> connectionState(String accountId) {
        return http.json("GET", "/instance/connectionState/" + Json.encode(accountId), null)
                .thenApply(result -> Json.read(result, json -> {
                    String state = Json.text(json.path("instance"), "state");
                    if (state == null) {
                        throw new Json.BadBody("answer has no 'state'");
                    }
                    return state;
                }));
    }

    private CompletableFuture<CallResult<SessionInfo>> fromLive(
            String accountId, EvolutionServer evolution, String state, java.time.Duration latency) {
        if (!"connecting".equals(state)) {
            try {
                return CompletableFuture.completedFuture(new CallResult.Ok<>(live(accountId, state), 200, latency));
            } catch (Json.BadBody e) {
                return DialectClient.failed(ErrorKind.BAD_BODY, 200, e.getMessage());
            }
        }
        if (!evolution.v2()) {
            return connectAnswer(accountId);
        }
        return http.json("GET", "/instance/fetchInstances?instanceName=" + Json.encode(accountId), null)
                .thenCompose(rows -> DialectClient.andThen(rows, list -> {
                    String stored = Json.text(list.path(0), "connectionStatus");
                    if ("connecting".equals(stored)) {
                        return connectAnswer(accountId);
                    }
                    String why = "open".equals(stored) ? "reconnecting" : "starting";
                    return CompletableFuture.completedFuture(new CallResult.Ok<>(
                            new SessionInfo(accountId, AccountState.CONNECTING, null, null, why), 200, rows.latency()));
                }));
    }

    /**
     * GET /instance/connect: open answers {@code {instance: {instanceName, state}}}; connecting answers the QR it
     * holds ({@code {pairingCode, code, base64, count}}, base64 absent before the first); close starts the instance
     * and answers the same after a wait. A failure inside is answered 200 {@code {error: true, message}}.
     */
    CompletableFuture<CallResult<SessionInfo>> connectAnswer(String accountId) {
        // A closed instance is started first: 2 s (2.3.6), 5 s (1.8.2) of the server's own sleep.
        return http.jsonAfterWait(
                        "GET",
                        "/instance/connect/" + Json.encode(accountId),
                        null,
                        Set.of(),
                        EvolutionClient.CREATE_WAIT)
                .thenApply(result -> {
                    if (result instanceof CallResult.Ok<JsonNode> ok
                            && ok.value().path("error").asBoolean(false)) {
                        return new CallResult.Failed<>(
                                ErrorKind.OTHER,
                                ok.httpStatus(),
                                "Evolution answered an error to /instance/connect",
                                ok.latency());
                    }
                    return Json.read(result, json -> {
                        if (json.has("instance")) {
                            return live(accountId, Json.required(json.path("instance"), "state"));
                        }
                        String qr = Json.text(json, "base64");
                        return qr == null
                                ? new SessionInfo(accountId, AccountState.CONNECTING, null, null, "connecting")
                                : new SessionInfo(accountId, AccountState.QR_REQUIRED, null, qr, "connecting");
                    });
                });
    }

    private static SessionInfo live(String accountId, String state) {
        if (state == null) {
            throw new Json.BadBody("answer has no 'state'");
        }
        AccountState ours = switch (state) {
            case "open" -> AccountState.CONNECTED;
            case "close" -> AccountState.DISCONNECTED;
            case "connecting" -> AccountState.CONNECTING;
            default -> throw new Json.BadBody("unknown Evolution connection state '" + state + "'");
        };
        return new SessionInfo(accountId, ours, null, null, state);
    }
}
