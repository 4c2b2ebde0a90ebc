package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.HealthReport;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoint;
import io.wafleet.client.SessionInfo;
import io.wafleet.client.StatsReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server client for unit tests of the account flows: status calls answer from a script (its last answer
 * repeats), disconnect and refresh answer what they are set to; every call is recorded.
 */
final class FakeServerClient implements ServerClient {

    private final Queue<CallResult<SessionInfo>> statusScript = new ConcurrentLinkedQueue<>();
    private volatile CallResult<SessionInfo> lastStatus = session(AccountState.QR_REQUIRED, null);
    volatile CallResult<SessionInfo> disconnectAnswer = session(AccountState.DISCONNECTED, null);
    volatile CallResult<SessionInfo> refreshAnswer = session(AccountState.QR_REQUIRED, "qr-refreshed");
    volatile CallResult<SessionInfo> connectAnswer = session(AccountState.QR_REQUIRED, "qr-1");
    final List<String> calls = new CopyOnWriteArrayList<>();

    static CallResult<SessionInfo> session(AccountState state, String qr) {
        return new CallResult.Ok<>(new SessionInfo("acct-1", state, "conn-1", qr, state.name()), 200, Duration.ZERO);
    }

    static <T> CallResult<T> failure(io.wafleet.avro.ErrorKind kind, Integer status) {
        return new CallResult.Failed<>(kind, status, "the server said no", Duration.ZERO);
    }

    @SafeVarargs
    final void statusAnswers(CallResult<SessionInfo>... answers) {
        statusScript.addAll(List.of(answers));
    }

    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
        calls.add("status " + accountId);
        CallResult<SessionInfo> next = statusScript.poll();
        if (next != null) {
            lastStatus = next;
        }
        return CompletableFuture.completedFuture(lastStatus);
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
        calls.add("disconnect " + accountId);
        return CompletableFuture.completedFuture(disconnectAnswer);
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
        calls.add("refresh " + accountId);
        return CompletableFuture.completedFuture(refreshAnswer);
    }

    @Override
    public ServerEndpoint endpoint() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<CallResult<HealthReport>> health() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<CallResult<Optional<StatsReport>>> stats() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
        calls.add("connect " + accountId);
        return CompletableFuture.completedFuture(connectAnswer);
    }

    @Override
    public CompletableFuture<io.wafleet.client.SendResult> send(String accountId, String recipient, String text) {
        calls.add("send " + accountId + " " + recipient);
        return CompletableFuture.completedFuture(new io.wafleet.client.SendResult.Sent("sent-1", Duration.ZERO));
    }
}
