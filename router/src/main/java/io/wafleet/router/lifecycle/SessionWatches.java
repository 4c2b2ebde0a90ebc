package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ServerNotice;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.schemas.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A notice the server pushed about a watched session (its webhook) polls it at once: the event says when to look,
 * the server's API says what is so, so a forged or reordered event can cost a call but never set a state. While a
 * session's server keeps sending notices, the session is polled only every {@code pollWhileEvents} ({@link
 * PushedNotices}).
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
    private final PushedNotices pushes;
    private final Map<String, Watch> watching = new ConcurrentHashMap<>();
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
            PushedNotices pushes,
            Clock clock) {
        this.queue = queue;
        this.pushes = pushes;
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
        start(watch);
        return watch.answered;
    }

    /** Watches again a session whose watch ran on another instance (or before a restart). */
    void resume(RequestContext ctx, String serverId, String qrCode, int attempt, Instant deadline) {
        start(new Watch(ctx, serverId, queue.generationOf(ctx.accountId()), deadline, qrCode, attempt));
    }

    /** The first poll: at once when the session's server already sent news of it, else after the interval. */
    private void start(Watch watch) {
        watch.notified = pushes.heardLately(watch.ctx.accountId(), watch.serverId);
        schedule(watch, watch.notified ? Duration.ZERO : settings.statusPollInterval());
    }

    /**
     * A notice the server pushed: a watched session of the account on that server is polled now (and its scheduled
     * poll dropped); false when no such session is watched here.
     */
    boolean notice(ServerNotice notice) {
        Watch watch = watching.get(notice.getAccountId());
        if (watch == null || !watch.serverId.equals(notice.getServerId())) {
            return false;
        }
        watch.notified = true;
        watch.noticeReason = notice.getReason();
        poll(watch, watch.turns.next());
        return true;
    }

    /** Polls later: every {@code pollWhileEvents} while the server's notices arrive, else the poll interval. */
    private void schedule(Watch watch) {
        schedule(watch, pushes.pollDelay(watch.serverId, watch.notified, settings.statusPollInterval()));
    }

    private void schedule(Watch watch, Duration delay) {
        watching.put(watch.ctx.accountId(), watch);
        int turn = watch.turns.next();
        timer.schedule(() -> poll(watch, turn), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Until the first answer a poll runs as part of the request's step (which waits for that answer, so queuing the
     * poll behind it would wait forever); after it, polls queue behind the account's other steps.
     */
    private void poll(Watch watch, int turn) {
        if (watching.get(watch.ctx.accountId()) != watch || !watch.turns.start(turn)) {
            return;
        }
        CompletableFuture<Void> polled =
                watch.answered.isDone() ? queue.then(watch.ctx.accountId(), watch::poll) : watch.poll();
        polled.whenComplete((ok, error) -> {
            if (watch.turns.finish()) {
                poll(watch, watch.turns.next());
            }
        });
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
        final PollTurns turns = new PollTurns();
        volatile boolean notified;
        volatile String noticeReason;
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
                stop();
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
                        answer(
                                session.state(),
                                null,
                                null,
                                "the server reports the session " + session.serverStatus()
                                        + (noticeReason == null ? "" : " (" + noticeReason + ")"));
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
                    .whenComplete((ok, error) -> stop());
        }

        /** Watched no more: answered if it was not yet, and no longer found by its account's notices. */
        private void stop() {
            watching.remove(ctx.accountId(), this);
            answered();
        }
    }
}
