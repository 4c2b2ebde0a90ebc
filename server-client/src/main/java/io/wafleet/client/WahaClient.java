package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * WAHA (devlikeapro/waha, 2024.9 onwards). Plus hosts one session per account, named after it; Core hosts exactly
 * one, {@code default}, which {@link WahaCoreSessions} shares out. Every session carries its account in
 * {@code config.metadata} (a WAHA feature since 2024.9.1, {@code src/structures/sessions.dto.ts}). Paths and answers
 * follow 2024.10.8 {@code src/api/sessions.controller.ts}, {@code src/api/auth.controller.ts} and
 * {@code src/api/server.controller.ts}; the fixtures under {@code conformance/waha-*} record them.
 */
final class WahaClient extends DialectClient {

    /** The metadata key of the account a session belongs to. */
    static final String ACCOUNT_KEY = "wafleet.accountId";

    /** WAHA refuses longer names (2024.10.8 SessionCreateRequest: {@code @MaxLength(64 - 'waha_noweb'.length)}). */
    static final int MAX_SESSION_NAME = 54;

    private final Remembered<WahaServer> server = new Remembered<>();
    /** The uptime last reported: one lower means a restart, after which version and tier are read again. */
    private volatile long lastUptime = Long.MAX_VALUE;

    private final WahaSessions sessions;

    /** @param webhook where the sessions it creates send their status events, or null for none */
    WahaClient(HttpCaller http, Webhook webhook) {
        super(http);
        this.sessions = new WahaSessions(http, webhook);
    }

    /** The status endpoint (uptime), the server's version and tier (read again after a restart), the sessions. */
    @Override
    public CompletableFuture<CallResult<HealthReport>> health() {
        long started = System.nanoTime();
        String path = endpoint().healthPath();
        return http.json("GET", path, null, Set.of(404))
                .thenCompose(status -> andThen(status, json -> {
                    if (((CallResult.Ok<JsonNode>) status).httpStatus() == 404) {
                        return DialectClient.<HealthReport>failed(
                                ErrorKind.UNSUPPORTED_SERVER, 404, "WAHA older than 2024.9: no " + path);
                    }
                    Long uptime = Json.whole(json, "uptime");
                    boolean restarted = uptime != null && uptime < lastUptime;
                    lastUptime = uptime == null ? Long.MAX_VALUE : uptime;
                    return serverInfo(restarted)
                            .thenCompose(info -> andThen(
                                    info,
                                    waha -> http.json("GET", "/api/sessions?all=true", null)
                                            .thenApply(list ->
                                                    Json.read(list, sessions -> report(waha, uptime, sessions)))));
                }))
                .thenApply(result -> Json.since(started, result));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
        long started = System.nanoTime();
        return serverInfo(false)
                .thenCompose(info -> andThen(
                        info,
                        waha -> waha.core()
                                ? sessions.core().connect(accountId)
                                : sessions.connect(accountId, sessionName(accountId))))
                .thenApply(result -> Json.since(started, result));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
        long started = System.nanoTime();
        return serverInfo(false)
                .thenCompose(info -> andThen(info, waha -> sessions.qr(name(waha, accountId))))
                .thenApply(result -> Json.since(
                        started,
                        result.map(
                                qr -> new SessionInfo(accountId, AccountState.QR_REQUIRED, null, qr, "SCAN_QR_CODE"))));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        long started = System.nanoTime();
        return serverInfo(false)
                .thenCompose(info -> andThen(
                        info,
                        waha -> waha.core()
                                ? sessions.core().status(accountId)
                                : sessions.status(accountId, sessionName(accountId))))
                .thenApply(result -> Json.since(started, result));
    }

    /** DELETE stops, logs out and removes the session in one call, and is idempotent (its own doc says so). */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        long started = System.nanoTime();
        return serverInfo(false)
                .thenCompose(info -> andThen(
                        info,
                        waha -> waha.core()
                                ? sessions.core().disconnect(accountId)
                                : sessions.delete(accountId, sessionName(accountId))))
                .thenApply(result -> Json.since(started, result));
    }

    /** Sends from the account's session: its own on Plus, {@code default} on Core. */
    @Override
    public CompletableFuture<SendResult> send(String accountId, String recipient, String text) {
        return serverInfo(false)
                .thenCompose(info -> info instanceof CallResult.Ok<WahaServer> ok
                        ? MessageSends.waha(http, name(ok.value(), accountId), recipient, text)
                        : CompletableFuture.completedFuture(
                                MessageSends.beforeSend((CallResult.Failed<WahaServer>) info)));
    }

    /** The version and tier, as last read or read now; a server wafleet does not support is a failure. */
    private CompletableFuture<CallResult<WahaServer>> serverInfo(boolean refresh) {
        WahaServer known = server.fresh();
        CompletableFuture<CallResult<WahaServer>> info = known != null && !refresh
                ? CompletableFuture.completedFuture(new CallResult.Ok<>(known, 200, Duration.ZERO))
                : http.json("GET", "/api/server/version", null, Set.of(404)).thenApply(result -> {
                    if (result instanceof CallResult.Ok<JsonNode> ok && ok.httpStatus() == 404) {
                        return unsupported(404, "WAHA older than 2024.9: no /api/server/version");
                    }
                    return Json.read(result, WahaServer::of);
                });
        return info.thenApply(result -> {
            if (result instanceof CallResult.Ok<WahaServer> ok) {
                String reason = ok.value().unsupported();
                if (reason != null) {
                    server.set(null);
                    return unsupported(ok.httpStatus(), reason);
                }
                server.set(ok.value());
            }
            return result;
        });
    }

    private static String name(WahaServer waha, String accountId) {
        return waha.core() ? WahaCoreSessions.DEFAULT : sessionName(accountId);
    }

    /** The account's session name on WAHA Plus: the account id, or a digest of it when WAHA would refuse it. */
    static String sessionName(String accountId) {
        if (accountId.length() <= MAX_SESSION_NAME) {
            return accountId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accountId.getBytes(StandardCharsets.UTF_8));
            return "wafleet-" + HexFormat.of().formatHex(digest).substring(0, MAX_SESSION_NAME - 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static <T> CallResult<T> unsupported(Integer status, String reason) {
        return new CallResult.Failed<>(ErrorKind.UNSUPPORTED_SERVER, status, reason, Duration.ZERO);
    }

    private static HealthReport report(WahaServer waha, Long uptimeMs, JsonNode sessions) {
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
        return HealthReport.newBuilder()
                .setStatus("healthy")
                .setUptime(uptimeMs == null ? null : uptimeMs / 1000)
                .setVersion(waha.version())
                .setTier(waha.tier())
                .setAccounts(new AccountCounts(sessions.size(), connected, connecting))
                .build();
    }
}
