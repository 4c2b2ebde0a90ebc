package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.HealthReport;
import io.wafleet.avro.MemoryUsage;
import io.wafleet.avro.ResponseTimes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The seed document's contract: /api/health, /api/stats, /api/accounts/*. */
final class SeedClient extends DialectClient {

    SeedClient(HttpCaller http) {
        super(http);
    }

    @Override
    public CompletableFuture<CallResult<HealthReport>> health() {
        return http.json("GET", endpoint().healthPath(), null)
                .thenApply(result -> Json.read(result, SeedClient::report));
    }

    @Override
    public CompletableFuture<CallResult<Optional<StatsReport>>> stats() {
        return http.json("GET", "/api/stats", null)
                .thenApply(result -> Json.read(result, json -> Optional.of(stats(json))));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
        Map<String, String> body = Map.of("id", accountId, "name", accountName == null ? accountId : accountName);
        return http.json("POST", "/api/accounts/connect", body)
                .thenApply(result -> Json.read(result, json -> session(accountId, json)));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
        return http.json("GET", "/api/accounts/" + Json.encode(accountId) + "/qr", null)
                .thenApply(result -> Json.read(
                        result,
                        json -> new SessionInfo(
                                accountId,
                                AccountState.QR_REQUIRED,
                                null,
                                Json.required(json, "qrCode"),
                                Json.text(json, "status"))));
    }

    /** The account's state; while it waits for a scan and the answer carries no QR, the QR is fetched too. */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        long started = System.nanoTime();
        return http.json("GET", "/api/accounts/" + Json.encode(accountId), null).thenCompose(result -> {
            CallResult<SessionInfo> session = Json.read(result, json -> session(accountId, json));
            if (session instanceof CallResult.Ok<SessionInfo> ok
                    && ok.value().state() == AccountState.QR_REQUIRED
                    && ok.value().qrCode() == null) {
                return refreshQr(accountId)
                        .thenApply(qr -> Json.since(
                                started,
                                qr.map(fresh -> new SessionInfo(
                                        accountId,
                                        fresh.state(),
                                        ok.value().connectionId(),
                                        fresh.qrCode(),
                                        fresh.serverStatus()))));
            }
            return CompletableFuture.completedFuture(session);
        });
    }

    @Override
    public CompletableFuture<SendResult> send(String accountId, String recipient, String text) {
        return MessageSends.seed(http, accountId, recipient, text);
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        // An account the server does not know (404) is as disconnected as it gets.
        return http.json("POST", "/api/accounts/disconnect", Map.of("id", accountId), Set.of(404))
                .thenApply(result -> result.map(
                        json -> new SessionInfo(accountId, AccountState.DISCONNECTED, null, null, "disconnected")));
    }

    private static SessionInfo session(String accountId, JsonNode json) {
        String status = Json.required(json, "status");
        AccountState state = switch (status) {
            case "pending" -> AccountState.PENDING;
            case "connecting" -> AccountState.CONNECTING;
            case "qr_required" -> AccountState.QR_REQUIRED;
            case "connected" -> AccountState.CONNECTED;
            case "disconnected" -> AccountState.DISCONNECTED;
            case "failed" -> AccountState.FAILED;
            default -> throw new Json.BadBody("unknown account status '" + status + "'");
        };
        return new SessionInfo(accountId, state, Json.text(json, "connectionId"), Json.text(json, "qrCode"), status);
    }

    /** Built with the all-fields constructors: Avro's builders copy defaults on every build. */
    private static HealthReport report(JsonNode json) {
        JsonNode accounts = json.path("accounts");
        JsonNode memory = json.path("memory");
        JsonNode performance = json.path("performance");
        return new HealthReport(
                Json.required(json, "status"),
                instant(Json.text(json, "timestamp")),
                Json.whole(json, "uptime"),
                Json.text(json, "version"),
                accounts.isObject()
                        ? new AccountCounts(
                                Json.count(accounts, "total"),
                                Json.count(accounts, "connected"),
                                Json.count(accounts, "connecting"))
                        : null,
                memory.isObject()
                        ? new MemoryUsage(
                                orZero(Json.whole(memory, "heapUsed")),
                                orZero(Json.whole(memory, "heapTotal")),
                                orZero(Json.whole(memory, "rss")))
                        : null,
                performance.isObject()
                        ? new ResponseTimes(
                                orZero(Json.number(performance, "avgResponseTime")),
                                orZero(Json.number(performance, "p95ResponseTime")),
                                orZero(Json.number(performance, "p99ResponseTime")))
                        : null,
                null);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static StatsReport stats(JsonNode json) {
        return new StatsReport(
                Json.number(json, "cpu"),
                Json.number(json, "memory"),
                Json.number(json, "storage"),
                Json.number(json, "network"),
                Json.count(json, "activeInstances"),
                Json.count(json, "totalUsers"),
                orZero(Json.number(json, "messagesPerMinute")),
                orZero(Json.number(json, "errorRate")),
                Json.number(json, "averageResponseTime"),
                Json.number(json, "p95ResponseTime"),
                Json.number(json, "p99ResponseTime"),
                Json.whole(json, "uptime") == null ? 0 : Json.whole(json, "uptime"),
                json.path("isHealthy").asBoolean(true));
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Json.BadBody("timestamp '" + text + "' is not ISO-8601");
        }
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
