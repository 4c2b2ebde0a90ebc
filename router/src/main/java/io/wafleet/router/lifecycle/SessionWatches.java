package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.schemas.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Watches the sessions of accounts waiting for a scan: polls each one's server every {@code statusPollInterval}
 * until it is connected, failed, gone, superseded by a newer request of the account, handed to another instance, or
 * its QR timed out (then the session is removed from the server and the account FAILED). New QR codes a server
 * rotates in are passed on at most every {@code qrRepublishInterval}.
 */
final class SessionWatches implements AutoCloseable {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final AccountQueue queue;
    private final Function<String, ServerClient> clients;
    private final AccountEventSink events;
    private final BiConsumer<String, CallResult.Failed<?>> failedCalls;
    private final AccountSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private volatile Predicate<String> owned = accountId -> true;

    /**
     * @param clients the client of a server; throws {@link ServerEndpoints.InvalidConfig} when it has none
     * @param failedCalls where a failed status call goes (a PASSIVE failed health check)
     */
    SessionWatches(
            AccountQueue queue,
            Function<String, ServerClient> clients,
            AccountEventSink events,
            BiConsumer<String, CallResult.Failed<?>> failedCalls,
            AccountSettings settings,
            Clock clock) {
        this.queue = queue;
        this.clients = clients;
        this.events = events;
        this.failedCalls = failedCalls;
        this.settings = settings;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("account-watch"));
    }

    /** Which accounts this instance handles now; watches of the others stop at their next poll. */
    void ownedBy(Predicate<String> owned) {
        this.owned = owned;
    }

    /**
     * Watches a session; the future completes at the first answer: at once when {@code qrCode} is already
     * published, else at the first QR, connection or failure the polls find.
     */
    CompletableFuture<Void> watch(RequestContext ctx, String serverId, String qrCode, int attempt, Instant deadline) {
        Watch watch = new Watch(ctx, serverId, queue.generationOf(ctx.accountId()), deadline, qrCode, attempt);
        if (qrCode != null) {
            watch.answered();
        }
        schedule(watch);
        return watch.answered;
    }

    /** Watches again a session whose watch ran on another instance (or before a restart). */
    void resume(RequestContext ctx, String serverId, String qrCode, int attempt, Instant deadline) {
        schedule(new Watch(ctx, serverId, queue.generationOf(ctx.accountId()), deadline, qrCode, attempt));
    }

    /**
     * Polls later. Until the first answer a poll runs as part of the request's step (which waits for that answer, so
     * queuing the poll behind it would wait forever); after it, polls queue behind the account's other steps.
     */
    private void schedule(Watch watch) {
        timer.schedule(
                () -> {
                    if (watch.answered.isDone()) {
                        queue.then(watch.ctx.accountId(), watch::poll);
                    } else {
                        watch.poll();
                    }
                },
                settings.statusPollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One account's session watch. */
    private final class Watch {
        final RequestContext ctx;
        final String serverId;
        final int generation;
        final Instant deadline;
        final int attempt;
        final CompletableFuture<Void> answered = new CompletableFuture<>();
        String qrCode;
        Instant qrShownAt;

        Watch(RequestContext ctx, String serverId, int generation, Instant deadline, String qrCode, int attempt) {
            this.ctx = ctx;
            this.serverId = serverId;
            this.generation = generation;
            this.deadline = deadline;
            this.qrCode = qrCode;
            this.qrShownAt = clock.instant();
            this.attempt = attempt;
        }

        void answered() {
            answered.complete(null);
        }

        CompletableFuture<Void> poll() {
            if (queue.generationOf(ctx.accountId()) != generation || !owned.test(ctx.accountId())) {
                answered();
                return DONE;
            }
            ServerClient client;
            try {
                client = clients.apply(serverId);
            } catch (ServerEndpoints.InvalidConfig e) {
                return answer(AccountState.FAILED, null, null, e.getMessage());
            }
            if (clock.instant().isAfter(deadline)) {
                // Its seat is given back: the session is removed from the server.
                String reason = "the QR code was not scanned within "
                        + settings.qrTimeout().toSeconds() + " s";
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
                        answer(session.state(), null, null, "the server reports the session " + session.serverStatus());
                    case QR_REQUIRED -> qr(session);
                    default -> later();
                };
            }
            CallResult.Failed<SessionInfo> failure = (CallResult.Failed<SessionInfo>) result;
            if (Integer.valueOf(404).equals(failure.httpStatus())) {
                return answer(AccountState.FAILED, null, null, "the session is gone from the server");
            }
            failedCalls.accept(serverId, failure);
            return later();
        }

        /** Servers rotate QR codes (some make a new one on every read): a new one is passed on now and then. */
        private CompletableFuture<Void> qr(SessionInfo session) {
            Duration republish = settings.qrRepublishInterval();
            boolean fresh = session.qrCode() != null && !session.qrCode().equals(qrCode);
            if (!fresh || (qrCode != null && clock.instant().isBefore(qrShownAt.plus(republish)))) {
                return later();
            }
            String reason = qrCode == null ? null : "new QR code";
            qrCode = session.qrCode();
            qrShownAt = clock.instant();
            return events.publish(
                            ctx, serverId, AccountState.QR_REQUIRED, session.connectionId(), qrCode, reason, attempt)
                    .thenRun(() -> {
                        answered();
                        schedule(this);
                    });
        }

        private CompletableFuture<Void> later() {
            schedule(this);
            return DONE;
        }

        private CompletableFuture<Void> answer(AccountState state, String connectionId, String qr, String reason) {
            return events.publish(ctx, serverId, state, connectionId, qr, reason, attempt)
                    .whenComplete((ok, error) -> answered());
        }
    }
}
