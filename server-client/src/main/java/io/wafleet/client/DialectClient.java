package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.HealthReport;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/** What the dialect adapters share: their server's HTTP calls, no stats unless the dialect has them. */
abstract class DialectClient implements ServerClient {

    protected final HttpCaller http;

    DialectClient(HttpCaller http) {
        this.http = http;
    }

    @Override
    public ServerEndpoint endpoint() {
        return http.endpoint();
    }

    /** WAHA and Evolution report no stats. */
    @Override
    public CompletableFuture<CallResult<Optional<StatsReport>>> stats() {
        return CompletableFuture.completedFuture(new CallResult.Ok<>(Optional.empty(), 0, Duration.ZERO));
    }

    /**
     * Health from two calls: the health endpoint (liveness, version), then the list of sessions for the account
     * counts. The latency is that of both.
     */
    protected CompletableFuture<CallResult<HealthReport>> healthAndSessions(
            String sessionsPath, BiFunction<JsonNode, JsonNode, HealthReport> report) {
        long started = System.nanoTime();
        return http.json("GET", endpoint().healthPath(), null).thenCompose(status -> {
            if (!(status instanceof CallResult.Ok<JsonNode> ok)) {
                return CompletableFuture.completedFuture(
                        Json.since(started, ((CallResult.Failed<JsonNode>) status).<HealthReport>cast()));
            }
            return http.json("GET", sessionsPath, null)
                    .thenApply(sessions ->
                            Json.since(started, Json.read(sessions, list -> report.apply(ok.value(), list))));
        });
    }
}
