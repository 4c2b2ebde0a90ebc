package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerNotice;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.accounts.Publisher;
import io.wafleet.router.select.Selector;
import io.wafleet.router.webhooks.WebhookSettings;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries accounts through CONNECT, DISCONNECT, REFRESH_QR and MIGRATE, publishing every step as a ConnectionEvent.
 * The steps of one account run one after another (a later request waits for the earlier one), different accounts
 * run concurrently, and no thread waits on a server: calls are asynchronous.
 *
 * <p>Each action is a class of its own: {@link Connect}, {@link Migrate}, {@link EndAndRefresh} (DISCONNECT,
 * REFRESH_QR), with the session watches ({@link SessionWatches}) and the per-account queue ({@link AccountQueue}).
 */
public final class Lifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final FleetState fleet;
    private final AccountRegistry registry;
    private final AccountSettings settings;
    private final Clock clock;
    private final AccountEventSink events;
    private final SessionWatches watches;
    private final EndAndRefresh endAndRefresh;
    private final Connect connect;
    private final Migrate migrate;
    private final PushedNotices pushes;
    private final DroppedSessions dropped;
    private final AccountQueue queue = new AccountQueue();
    private volatile Predicate<String> owned = accountId -> true;

    public Lifecycle(
            FleetState fleet,
            Selector selector,
            AccountRegistry registry,
            ServerCalls calls,
            Publisher publisher,
            AccountSettings settings,
            WebhookSettings webhooks,
            Clock clock) {
        this.fleet = fleet;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
        this.events = new AccountEventFactory(registry, publisher::event, clock);
        this.pushes = new PushedNotices(webhooks, clock);
        this.watches = new SessionWatches(queue, calls::client, events, publisher::failedCall, settings, pushes, clock);
        this.dropped = new DroppedSessions(registry, queue, calls::client, events);
        this.endAndRefresh = new EndAndRefresh(registry, calls::client, events, publisher::failedCall, this::watch);
        this.connect = new Connect(
                fleet::fleet,
                fleet::rules,
                selector,
                registry,
                calls::client,
                publisher::failedCall,
                settings,
                events,
                this::watch);
        this.migrate = new Migrate(
                fleet::fleet, fleet::rules, selector, registry, calls::client, publisher::failedCall, events, connect);
    }

    /** Whether requests can be handled: the health table has been read. */
    public boolean ready() {
        return fleet.isCaughtUp();
    }

    /** Which accounts this instance handles now; watches of the others stop (their new owner resumes them). */
    public void ownedBy(Predicate<String> owned) {
        this.owned = owned;
        watches.ownedBy(owned);
    }

    /**
     * A notice a server pushed (read from wa.server-notices by every router): for an account this instance handles,
     * once (duplicates and notices older than one applied are dropped), it polls the account's watched session now, or
     * checks a connected account's session the notice says dropped. The server's answers set the states.
     */
    public void notice(ServerNotice notice) {
        if (notice.getKind() == NoticeKind.MESSAGE_ACK) {
            return; // a message's step, for the messages' own tail
        }
        if (!pushes.fresh(notice) || notice.getAccountId() == null || !owned.test(notice.getAccountId())) {
            return;
        }
        if (!watches.notice(notice)) {
            dropped.notice(notice);
        }
    }

    /**
     * Handles a request; completes once it is answered (the answering event is on the broker): QR_REQUIRED,
     * CONNECTED, DISCONNECTED or FAILED. Never completes exceptionally.
     */
    public CompletableFuture<Void> handle(ConnectionRequest request) {
        RequestContext ctx = new RequestContext(
                request.getRequestId(),
                request.getMetadata().get("operationId"),
                request.getRequestedBy(),
                request.getAccountId(),
                request.getAccountName());
        return queue.then(request.getAccountId(), () -> {
                    // A new request for the account ends any watch of its session.
                    queue.newGeneration(request.getAccountId());
                    return switch (request.getAction()) {
                        case CONNECT -> connect.connect(ctx, request);
                        case DISCONNECT -> endAndRefresh.disconnect(ctx);
                        case REFRESH_QR -> endAndRefresh.refreshQr(ctx);
                        case MIGRATE -> migrate.migrate(ctx, request);
                    };
                })
                .exceptionallyCompose(error -> {
                    log.error("request {} for {} failed", request.getRequestId(), request.getAccountId(), error);
                    return events.publish(ctx, null, AccountState.FAILED, null, null, "internal error: " + error, 1);
                })
                .exceptionally(error -> null);
    }

    /** Resumes watching the sessions of accounts waiting for a scan, e.g. after taking over their partition. */
    public void resumeWatches(Predicate<String> accounts) {
        for (Account account : registry.accounts()) {
            if ((account.state() == AccountState.QR_REQUIRED || account.state() == AccountState.CONNECTING)
                    && account.serverId() != null
                    && accounts.test(account.accountId())) {
                watches.resume(
                        RequestContext.of(account),
                        account.serverId(),
                        account.qrCode(),
                        account.attempt(),
                        account.updatedAt().plus(settings.qrTimeout()));
            }
        }
    }

    private CompletableFuture<Void> watch(RequestContext ctx, String serverId, String qrCode, int attempt) {
        return watches.watch(ctx, serverId, qrCode, attempt, clock.instant().plus(settings.qrTimeout()));
    }

    @Override
    public void close() {
        watches.close();
    }
}
