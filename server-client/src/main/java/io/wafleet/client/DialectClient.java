package io.wafleet.client;

import io.wafleet.avro.ErrorKind;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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

    /** The next call, made with the value of a successful one; a failure stays as it is. */
    static <A, B> CompletableFuture<CallResult<B>> andThen(
            CallResult<A> result, Function<A, CompletableFuture<CallResult<B>>> next) {
        if (result instanceof CallResult.Ok<A> ok) {
            return next.apply(ok.value());
        }
        return CompletableFuture.completedFuture(((CallResult.Failed<A>) result).cast());
    }

    /** A failure found in an answer (the server's latency is added by the caller). */
    static <T> CompletableFuture<CallResult<T>> failed(ErrorKind kind, Integer status, String message) {
        return CompletableFuture.completedFuture(new CallResult.Failed<>(kind, status, message, Duration.ZERO));
    }
}
