package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.HealthReport;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** WAHA (devlikeapro/waha): sessions named after the account, QR from /api/{session}/auth/qr. */
final class WahaClient extends DialectClient {

    WahaClient(HttpCaller http) {
        super(http);
    }

    /** Server status (uptime, version), then the sessions for the account counts. */
    @Override
    public CompletableFuture<CallResult<HealthReport>> health() {
        return healthAndSessions("/api/sessions?all=true", WahaClient::report);
    }

    /** Creates and starts the session (or starts the one that exists); its QR follows once it is SCAN_QR_CODE. */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
        long started = System.nanoTime();
        Map<String, Object> body = Map.of("name", accountId, "start", true);
        return http.json("POST", "/api/sessions", body, Set.of(422)).thenCompose(created -> {
            if (created instanceof CallResult.Ok<JsonNode> ok && ok.httpStatus() == 422) {
                return http.json("POST", "/api/sessions/" + Json.encode(accountId) + "/start", null)
                        .thenCompose(restarted -> withQr(accountId, restarted, started));
            }
            return withQr(accountId, created, started);
        });
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
        long started = System.nanoTime();
        return qr(accountId)
                .thenApply(result -> Json.since(
                        started,
                        result.map(
                                qr -> new SessionInfo(accountId, AccountState.QR_REQUIRED, null, qr, "SCAN_QR_CODE"))));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        long started = System.nanoTime();
        return http.json("GET", "/api/sessions/" + Json.encode(accountId), null)
                .thenCompose(result -> withQr(accountId, result, started));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        long started = System.nanoTime();
        String session = "/api/sessions/" + Json.encode(accountId);
        return http.json("POST", session + "/logout", null, Set.of(404, 422))
                .thenCompose(logout -> !logout.isOk()
                        ? CompletableFuture.completedFuture(logout)
                        : http.json("DELETE", session, null, Set.of(404)))
                .thenApply(deleted -> Json.since(
                        started,
                        deleted.map(
                                json -> new SessionInfo(accountId, AccountState.DISCONNECTED, null, null, "STOPPED"))));
    }

    private CompletableFuture<CallResult<SessionInfo>> withQr(
            String accountId, CallResult<JsonNode> sessionResult, long started) {
        CallResult<SessionInfo> session = Json.read(sessionResult, json -> session(accountId, json));
        if (!(session instanceof CallResult.Ok<SessionInfo> ok) || ok.value().state() != AccountState.QR_REQUIRED) {
            return CompletableFuture.completedFuture(Json.since(started, session));
        }
        SessionInfo info = ok.value();
        return qr(accountId)
                .thenApply(qr -> Json.since(
                        started,
                        qr.map(code -> new SessionInfo(
                                accountId, info.state(), info.connectionId(), code, info.serverStatus()))));
    }

    private CompletableFuture<CallResult<String>> qr(String accountId) {
        return http.json("GET", "/api/" + Json.encode(accountId) + "/auth/qr?format=image", null)
                .thenApply(result -> Json.read(
                        result,
                        json -> "data:" + Json.required(json, "mimetype") + ";base64," + Json.required(json, "data")));
    }

    private static SessionInfo session(String accountId, JsonNode json) {
        String status = Json.required(json, "status");
        AccountState state = switch (status) {
            case "STOPPED" -> AccountState.DISCONNECTED;
            case "STARTING" -> AccountState.CONNECTING;
            case "SCAN_QR_CODE" -> AccountState.QR_REQUIRED;
            case "WORKING" -> AccountState.CONNECTED;
            case "FAILED" -> AccountState.FAILED;
            default -> throw new Json.BadBody("unknown WAHA session status '" + status + "'");
        };
        String connectionId = Json.text(json.path("config").path("metadata"), "connectionId");
        return new SessionInfo(accountId, state, connectionId, null, status);
    }

    private static HealthReport report(JsonNode server, JsonNode sessions) {
        if (!sessions.isArray()) {
            throw new Json.BadBody("/api/sessions did not answer a list");
        }
        int connected = 0;
        int connecting = 0;
        for (JsonNode session : sessions) {
            String status = Json.text(session, "status");
            if ("WORKING".equals(status)) {
                connected++;
            } else if ("STARTING".equals(status) || "SCAN_QR_CODE".equals(status)) {
                connecting++;
            }
        }
        JsonNode version = server.path("version");
        Long uptimeMs = Json.whole(server, "uptime");
        return HealthReport.newBuilder()
                .setStatus("healthy")
                .setUptime(uptimeMs == null ? null : uptimeMs / 1000)
                .setVersion(version.isObject() ? Json.text(version, "version") : Json.text(server, "version"))
                .setAccounts(new AccountCounts(sessions.size(), connected, connecting))
                .build();
    }
}
