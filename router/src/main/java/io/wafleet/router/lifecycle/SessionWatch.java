package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One account's session watch ({@link SessionWatches}): one poll reads the session's state on its server and
 * answers CONNECTED, FAILED or DISCONNECTED, passes a new QR on, or polls again later; past the QR deadline the
 * session is removed and the account FAILED.
 */
final class SessionWatch {

    private final SessionWatches host;

    final RequestContext ctx;
    final String serverId;
    final int generation;
    final Instant deadline;
    final int attempt;
    final CompletableFuture<Void> answered = new CompletableFuture<>();
    final PollTurns turns = new PollTurns();
    volatile boolean notified;
    volatile String noticeReason;
    /** The server said its QR changed: the one it now holds is passed on without waiting out the interval. */
    volatile boolean qrUpdated;

    String qrCode;
    Instant qrShownAt;

    SessionWatch(
            SessionWatches host,
            RequestContext ctx,
            String serverId,
            int generation,
            Instant deadline,
            String qrCode,
            int attempt) {
        this.host = host;
        this.ctx = ctx;
        this.serverId = serverId;
        this.generation = generation;
        this.deadline = deadline;
        this.qrCode = qrCode;
        this.qrShownAt = host.clock.instant();
        this.attempt = attempt;
    }

    void answered() {
        answered.complete(null);
    }

    CompletableFuture<Void> poll() {
        if (host.queue.generationOf(ctx.accountId()) != generation || !host.owned.test(ctx.accountId())) {
            stop();
            return SessionWatches.DONE;
        }
        ServerClient client;
        try {
            client = host.clients.apply(serverId);
        } catch (ServerEndpoints.InvalidConfig e) {
            return answer(AccountState.FAILED, null, null, e.getMessage());
        }
        if (host.clock.instant().isAfter(deadline)) {
            // Its seat is given back: the session is removed from the server.
            String reason = "the QR code was not scanned within "
                    + host.settings.qrTimeout().toSeconds() + " s";
            return client.disconnect(ctx.accountId())
                    .thenCompose(ignored -> answer(AccountState.FAILED, null, null, reason));
        }
        return client.status(ctx.accountId()).thenCompose(this::found);
    }

    private CompletableFuture<Void> found(CallResult<SessionInfo> result) {
        if (result instanceof CallResult.Ok<SessionInfo> ok) {
            SessionInfo session = ok.value();
            return switch (session.state()) {
                case CONNECTED -> answer(AccountState.CONNECTED, session.connectionId(), null, null);
                case FAILED, DISCONNECTED ->
                    answer(session.state(), null, null, reported(session.serverStatus(), noticeReason));
                case QR_REQUIRED -> qr(session);
                default -> later();
            };
        }
        CallResult.Failed<SessionInfo> failure = (CallResult.Failed<SessionInfo>) result;
        if (Integer.valueOf(404).equals(failure.httpStatus())) {
            return answer(AccountState.FAILED, null, null, "the session is gone from the server");
        }
        host.failedCalls.accept(serverId, failure);
        return later();
    }

    /** Servers rotate QR codes (some make a new one on every read): a new one is passed on now and then. */
    private CompletableFuture<Void> qr(SessionInfo session) {
        Duration republish = host.settings.qrRepublishInterval();
        boolean fresh = session.qrCode() != null && !session.qrCode().equals(qrCode);
        boolean told = qrUpdated;
        qrUpdated = false;
        if (!fresh || (!told && qrCode != null && host.clock.instant().isBefore(qrShownAt.plus(republish)))) {
            return later();
        }
        String reason = qrCode == null ? null : "new QR code";
        qrCode = session.qrCode();
        qrShownAt = host.clock.instant();
        return host.events
                .publish(ctx, serverId, AccountState.QR_REQUIRED, session.connectionId(), qrCode, reason, attempt)
                .thenRun(() -> {
                    answered();
                    host.schedule(this);
                });
    }

    private CompletableFuture<Void> later() {
        host.schedule(this);
        return SessionWatches.DONE;
    }

    private CompletableFuture<Void> answer(AccountState state, String connectionId, String qr, String reason) {
        return host.events
                .publish(ctx, serverId, state, connectionId, qr, reason, attempt)
                .whenComplete((ok, error) -> stop());
    }

    /** Watched no more: answered if it was not yet, and no longer found by its account's notices. */
    private void stop() {
        host.forget(this);
        answered();
    }

    /** An ended session's reason: the server's word for it, and what its notice said, if one did. */
    static String reported(String serverStatus, String noticeReason) {
        return "the server reports the session " + serverStatus
                + (noticeReason == null ? "" : " (" + noticeReason + ")");
    }
}
