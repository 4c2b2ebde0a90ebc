package io.wafleet.router.lifecycle;

import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerNotice;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
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
 * the server's API says what is so, so a forged or reordered event can cost a call but never set a state (a QR
 * the server says it renewed is passed on at once, not after {@code qrRepublishInterval}). While a
 * session's server keeps sending notices, the session is polled only every {@code pollWhileEvents} ({@link
 * PushedNotices}).
 */
final class SessionWatches implements AutoCloseable {

    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    final AccountQueue queue;
    final Function<String, ServerClient> clients;
    final AccountEventSink events;
    final BiConsumer<String, CallResult.Failed<?>> failedCalls;
    final AccountSettings settings;
    final Clock clock;
    private final ScheduledExecutorService timer;
    private final PushedNotices pushes;
    private final Map<String, SessionWatch> watching = new ConcurrentHashMap<>();
    volatile Predicate<String> owned = accountId -> true;

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
        SessionWatch watch =
                new SessionWatch(this, ctx, serverId, queue.generationOf(ctx.accountId()), deadline, qrCode, attempt);
        if (qrCode != null) {
            watch.answered();
        }
        start(watch);
        return watch.answered;
    }

    /** Watches again a session whose watch ran on another instance (or before a restart). */
    void resume(RequestContext ctx, String serverId, String qrCode, int attempt, Instant deadline) {
        start(new SessionWatch(this, ctx, serverId, queue.generationOf(ctx.accountId()), deadline, qrCode, attempt));
    }

    /** The first poll: at once when the session's server already sent news of it, else after the interval. */
    private void start(SessionWatch watch) {
        watch.notified = pushes.heardLately(watch.ctx.accountId(), watch.serverId);
        schedule(watch, watch.notified ? Duration.ZERO : settings.statusPollInterval());
    }

    /**
     * A notice the server pushed: a watched session of the account on that server is polled now (and its scheduled
     * poll dropped); false when no such session is watched here.
     */
    boolean notice(ServerNotice notice) {
        SessionWatch watch = watching.get(notice.getAccountId());
        if (watch == null || !watch.serverId.equals(notice.getServerId())) {
            return false;
        }
        watch.notified = true;
        watch.noticeReason = notice.getReason();
        watch.qrUpdated |= notice.getKind() == NoticeKind.QR_UPDATED;
        poll(watch, watch.turns.next());
        return true;
    }

    /** Polls later: every {@code pollWhileEvents} while the server's notices arrive, else the poll interval. */
    void schedule(SessionWatch watch) {
        schedule(watch, pushes.pollDelay(watch.serverId, watch.notified, settings.statusPollInterval()));
    }

    private void schedule(SessionWatch watch, Duration delay) {
        watching.put(watch.ctx.accountId(), watch);
        int turn = watch.turns.next();
        timer.schedule(() -> poll(watch, turn), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Until the first answer a poll runs as part of the request's step (which waits for that answer, so queuing the
     * poll behind it would wait forever); after it, polls queue behind the account's other steps.
     */
    private void poll(SessionWatch watch, int turn) {
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

    /** The watch is over: its account's notices no longer find it. */
    void forget(SessionWatch watch) {
        watching.remove(watch.ctx.accountId(), watch);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
