package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.HealthReport;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Evolution API v2: one instance per account, named after it; QR as base64 from /instance/connect. */
final class EvolutionClient extends DialectClient {

    EvolutionClient(HttpCaller http) {
        super(http);
    }

    /** The status page (version), then the instances for the account counts. */
    @Override
    public CompletableFuture<CallResult<HealthReport>> health() {
        return healthAndSessions("/instance/fetchInstances", EvolutionClient::report);
    }

    /** Creates the instance with its QR; an instance that exists already (403) is connected again instead. */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
        long started = System.nanoTime();
        Map<String, Object> body = Map.of("instanceName", accountId, "qrcode", true, "integration", "WHATSAPP-BAILEYS");
        return http.json("POST", "/instance/create", body, Set.of(403)).thenCompose(created -> {
            if (created instanceof CallResult.Ok<JsonNode> ok && ok.httpStatus() == 403) {
                return refreshQr(accountId).thenApply(result -> Json.since(started, result));
            }
            return CompletableFuture.completedFuture(Json.since(started, Json.read(created, json -> {
                JsonNode instance = json.path("instance");
                String qr = Json.text(json.path("qrcode"), "base64");
                return new SessionInfo(
                        accountId,
                        qr == null ? AccountState.CONNECTING : AccountState.QR_REQUIRED,
                        Json.text(instance, "instanceId"),
                        qr,
                        Json.text(instance, "status"));
            })));
        });
    }

    /** /instance/connect answers the QR, or the instance's state when it is open already. */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
        return http.json("GET", "/instance/connect/" + Json.encode(accountId), null)
                .thenApply(result -> Json.read(result, json -> {
                    String qr = Json.text(json, "base64");
                    if (qr != null) {
                        return new SessionInfo(accountId, AccountState.QR_REQUIRED, null, qr, "connecting");
                    }
                    return session(accountId, json.path("instance"), null);
                }));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        long started = System.nanoTime();
        return http.json("GET", "/instance/connectionState/" + Json.encode(accountId), null)
                .thenCompose(result -> {
                    CallResult<SessionInfo> state =
                            Json.read(result, json -> session(accountId, json.path("instance"), null));
                    if (state instanceof CallResult.Ok<SessionInfo> ok
                            && ok.value().state() == AccountState.QR_REQUIRED) {
                        return refreshQr(accountId).thenApply(qr -> Json.since(started, qr));
                    }
                    return CompletableFuture.completedFuture(Json.since(started, state));
                });
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        long started = System.nanoTime();
        String name = Json.encode(accountId);
        // Logging out an instance that is not connected (400) or gone (404) still lets it be deleted.
        return http.json("DELETE", "/instance/logout/" + name, null, Set.of(400, 404))
                .thenCompose(logout -> !logout.isOk()
                        ? CompletableFuture.completedFuture(logout)
                        : http.json("DELETE", "/instance/delete/" + name, null, Set.of(404)))
                .thenApply(deleted -> Json.since(
                        started,
                        deleted.map(
                                json -> new SessionInfo(accountId, AccountState.DISCONNECTED, null, null, "close"))));
    }

    private static SessionInfo session(String accountId, JsonNode instance, String qr) {
        String state = Json.required(instance, "state");
        AccountState ours = switch (state) {
            case "open" -> AccountState.CONNECTED;
            case "connecting" -> AccountState.QR_REQUIRED;
            case "close" -> AccountState.DISCONNECTED;
            default -> throw new Json.BadBody("unknown Evolution connection state '" + state + "'");
        };
        return new SessionInfo(accountId, ours, null, qr, state);
    }

    private static HealthReport report(JsonNode root, JsonNode instances) {
        if (!instances.isArray()) {
            throw new Json.BadBody("/instance/fetchInstances did not answer a list");
        }
        int connected = 0;
        int connecting = 0;
        for (JsonNode instance : instances) {
            String status = Json.text(instance, "connectionStatus");
            if ("open".equals(status)) {
                connected++;
            } else if ("connecting".equals(status)) {
                connecting++;
            }
        }
        return HealthReport.newBuilder()
                .setStatus("healthy")
                .setVersion(Json.required(root, "version"))
                .setAccounts(new AccountCounts(instances.size(), connected, connecting))
                .build();
    }
}
