package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthReport;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Evolution API v2.x and v1.8 (EvolutionAPI/evolution-api 2.3.6 and 1.8.2, {@code src/api/routes/instance.router.ts},
 * {@code src/api/controllers/instance.controller.ts}): one instance per account, named after it. Its state
 * {@code connecting} is both "waiting for a scan" and "starting or reconnecting"; {@link EvolutionStates} tells them
 * apart without inventing QR waits. The fixtures under {@code conformance/evolution-*} record the answers.
 */
final class EvolutionClient extends DialectClient {

    /** createInstance with a QR sleeps 5 s before it answers (2.3.6 and 1.8.2 instance.controller.ts). */
    static final Duration CREATE_WAIT = Duration.ofSeconds(5);

    private final Remembered<EvolutionServer> server = new Remembered<>();
    private final EvolutionStates states;

    private final Webhook webhook;

    /** @param webhook where the instances it creates send their events, or null for none */
    EvolutionClient(HttpCaller http, Webhook webhook) {
        super(http);
        this.webhook = webhook;
        this.states = new EvolutionStates(http);
    }

    /** The welcome page (version), then the instances for the account counts. */
    @Override
    public CompletableFuture<CallResult<HealthReport>> health() {
        long started = System.nanoTime();
        return version(true)
                .thenCompose(version -> andThen(
                        version,
                        evolution -> http.json("GET", "/instance/fetchInstances", null)
                                .thenApply(list -> Json.read(list, instances -> report(evolution, instances)))))
                .thenApply(result -> Json.since(started, result));
    }

    /**
     * Creates the instance asking for its QR (create waits for it: 5 s in 2.3.6 and 1.8.2); a name in use (403) is
     * the account's instance already, connected again if it was closed.
     */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
        long started = System.nanoTime();
        return version(false)
                .thenCompose(version -> andThen(
                        version,
                        evolution -> http.jsonAfterWait(
                                        "POST",
                                        "/instance/create",
                                        createBody(accountId, evolution),
                                        Set.of(403),
                                        CREATE_WAIT)
                                .thenCompose(created -> {
                                    if (created instanceof CallResult.Ok<JsonNode> ok && ok.httpStatus() == 403) {
                                        return states.reconnect(accountId, evolution);
                                    }
                                    return CompletableFuture.completedFuture(
                                            Json.read(created, json -> EvolutionStates.created(accountId, json)));
                                })))
                .thenApply(result -> Json.since(started, result));
    }

    /**
     * The create call's body, with the webhook when asked for: v2 takes a {@code webhook} object (2.3.6 {@code
     * instance.dto.ts}, read by {@code event.manager.ts setInstance}), v1.8 a URL with {@code events} beside it (1.8.2
     * {@code validate.schema.ts instanceNameSchema}) and no headers, so the secret goes in the URL.
     */
    private Map<String, Object> createBody(String accountId, EvolutionServer evolution) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(
                Map.of("instanceName", accountId, "qrcode", true, "integration", "WHATSAPP-BAILEYS"));
        if (webhook != null && evolution.v2()) {
            body.put("webhook", webhook.evolution());
        } else if (webhook != null) {
            body.put("webhook", webhook.urlWithToken());
            body.put("webhook_by_events", false);
            body.put("events", Webhook.EVOLUTION_1_8_EVENTS);
        }
        return body;
    }

    /** The current QR (Evolution refreshes it itself; /instance/connect only reads it while connecting). */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
        long started = System.nanoTime();
        return states.connectAnswer(accountId).thenApply(result -> Json.since(started, result));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        long started = System.nanoTime();
        return version(false)
                .thenCompose(version -> andThen(version, evolution -> states.status(accountId, evolution)))
                .thenApply(result -> Json.since(started, result));
    }

    /**
     * Logs out (400 when not connected, 404 when gone: both fine), then deletes. v1.8 refuses to delete an open
     * instance (400 "needs to be disconnected") and its logout completes in the background: a 400 is asked again.
     */
    @Override
    public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        long started = System.nanoTime();
        String name = Json.encode(accountId);
        return http.json("DELETE", "/instance/logout/" + name, null, Set.of(400, 404))
                .thenCompose(logout -> andThen(logout, ignored -> delete(name, 3)))
                .thenApply(deleted -> Json.since(
                        started,
                        deleted.map(
                                json -> new SessionInfo(accountId, AccountState.DISCONNECTED, null, null, "close"))));
    }

    @Override
    public CompletableFuture<SendResult> send(String accountId, String recipient, String text) {
        return version(false)
                .thenCompose(version -> version instanceof CallResult.Ok<EvolutionServer> ok
                        ? MessageSends.evolution(http, ok.value().v2(), accountId, recipient, text)
                        : CompletableFuture.completedFuture(
                                MessageSends.beforeSend((CallResult.Failed<EvolutionServer>) version)));
    }

    private CompletableFuture<CallResult<JsonNode>> delete(String name, int attempts) {
        return http.json("DELETE", "/instance/delete/" + name, null, Set.of(400, 404))
                .thenCompose(deleted -> {
                    if (deleted instanceof CallResult.Ok<JsonNode> ok && ok.httpStatus() == 400) {
                        return attempts > 1
                                ? delete(name, attempts - 1)
                                : failed(ErrorKind.HTTP_STATUS, 400, "HTTP 400: the instance could not be deleted");
                    }
                    return CompletableFuture.completedFuture(deleted);
                });
    }

    /** The version from the welcome page, as last read or read now; one wafleet does not speak is a failure. */
    private CompletableFuture<CallResult<EvolutionServer>> version(boolean refresh) {
        EvolutionServer known = server.fresh();
        if (known != null && !refresh) {
            return CompletableFuture.completedFuture(new CallResult.Ok<>(known, 200, Duration.ZERO));
        }
        return http.json("GET", endpoint().healthPath(), null).thenApply(result -> {
            CallResult<EvolutionServer> read =
                    Json.read(result, json -> new EvolutionServer(Json.required(json, "version")));
            if (read instanceof CallResult.Ok<EvolutionServer> ok) {
                String reason = ok.value().unsupported();
                if (reason != null) {
                    server.set(null);
                    return new CallResult.Failed<>(ErrorKind.UNSUPPORTED_SERVER, ok.httpStatus(), reason, ok.latency());
                }
                server.set(ok.value());
            }
            return read;
        });
    }

    /**
     * v2 lists instance rows ({@code connectionStatus}: the stored state, 2.3.6 prisma {@code Instance}); v1.8 lists
     * {@code {instance: {instanceName, status}}} (1.8.2 {@code WAMonitoringService.instanceInfo}).
     */
    private static HealthReport report(EvolutionServer evolution, JsonNode instances) {
        if (!instances.isArray()) {
            throw new Json.BadBody("/instance/fetchInstances did not answer a list");
        }
        int connected = 0;
        int connecting = 0;
        for (JsonNode instance : instances) {
            String status = evolution.v2()
                    ? Json.text(instance, "connectionStatus")
                    : Json.text(instance.path("instance"), "status");
            if ("open".equals(status)) {
                connected++;
            } else if ("connecting".equals(status)) {
                connecting++;
            }
        }
        return HealthReport.newBuilder()
                .setStatus("healthy")
                .setVersion(evolution.version())
                .setAccounts(new AccountCounts(instances.size(), connected, connecting))
                .build();
    }
}
