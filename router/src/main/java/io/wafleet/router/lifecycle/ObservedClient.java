package io.wafleet.router.lifecycle;

import io.wafleet.avro.HealthReport;
import io.wafleet.client.CallResult;
import io.wafleet.client.SendResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoint;
import io.wafleet.client.SessionInfo;
import io.wafleet.client.StatsReport;
import io.wafleet.router.select.Outliers;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A server's client that tells {@link Outliers} how each call to the server went, as Envoy's outlier detection counts
 * them: a call that found no server or an ailing one (refused, timed out, DNS, TLS, an unreadable answer, a 5xx)
 * counts against it; any other answer (a success, or a 4xx such as 409, 422 or 429: the server answered as a healthy
 * one does) ends its failures in a row; a call that was never made (the address refused by policy, an unsupported
 * version) says nothing.
 */
final class ObservedClient implements ServerClient {

    private final ServerClient delegate;
    private final String serverId;
    private final Outliers outliers;

    ObservedClient(ServerClient delegate, String serverId, Outliers outliers) {
        this.delegate = delegate;
        this.serverId = serverId;
        this.outliers = outliers;
    }

    /** Whether a failure counts against the server; null when it says nothing either way. */
    static Boolean countsAgainst(CallResult.Failed<?> failure) {
        if (failure.kind() == null) {
            return Boolean.TRUE;
        }
        return switch (failure.kind()) {
            case TIMEOUT, CONNECT_REFUSED, DNS, TLS, BAD_BODY, OTHER -> Boolean.TRUE;
            case HTTP_STATUS -> failure.httpStatus() == null || failure.httpStatus() >= 500;
            case SERVER_FULL -> Boolean.FALSE;
            case ADDRESS_REFUSED, UNSUPPORTED_SERVER -> null;
        };
    }

    private <T> CompletableFuture<CallResult<T>> observed(CompletableFuture<CallResult<T>> call) {
        return call.whenComplete((result, error) -> {
            if (result instanceof CallResult.Failed<T> failure) {
                Boolean against = countsAgainst(failure);
                if (Boolean.TRUE.equals(against)) {
                    outliers.failed(serverId, ServerCalls.describe(failure));
                } else if (Boolean.FALSE.equals(against)) {
                    outliers.succeeded(serverId);
                }
            } else if (result != null) {
                outliers.succeeded(serverId);
            }
        });
    }

    @Override
    public ServerEndpoint endpoint() {
        return delegate.endpoint();
    }

    @Override
    public CompletableFuture<CallResult<HealthReport>> health() {
        return observed(delegate.health());
    }

    @Override
    public CompletableFuture<CallResult<Optional<StatsReport>>> stats() {
        return observed(delegate.stats());
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
        return observed(delegate.connect(accountId, accountName));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
        return observed(delegate.refreshQr(accountId));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        return observed(delegate.status(accountId));
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        return observed(delegate.disconnect(accountId));
    }

    /** A send that never reached the server, or got no answer, counts against it; any answer of its own does not. */
    @Override
    public CompletableFuture<SendResult> send(String accountId, String recipient, String text) {
        return delegate.send(accountId, recipient, text).whenComplete((result, error) -> {
            if (result instanceof SendResult.Refused refused
                    && (refused.refusal() == SendResult.Refusal.NOT_SENT
                            || refused.refusal() == SendResult.Refusal.OUTCOME_UNKNOWN)
                    && (refused.httpStatus() == null || refused.httpStatus() >= 500)) {
                outliers.failed(serverId, refused.reason());
            } else if (result != null) {
                outliers.succeeded(serverId);
            }
        });
    }
}
