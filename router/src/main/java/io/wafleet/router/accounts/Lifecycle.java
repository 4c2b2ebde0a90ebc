package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.client.Backoff;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.FleetState;
import io.wafleet.router.select.Selection;
import io.wafleet.router.select.SelectionRequest;
import io.wafleet.router.select.Selector;
import io.wafleet.router.select.ServerView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries accounts through CONNECT, DISCONNECT, REFRESH_QR and MIGRATE, publishing every step as a ConnectionEvent.
 * The steps of one account run one after another (a later request waits for the earlier one), different accounts
 * run concurrently, and no thread waits on a server: calls are asynchronous.
 *
 * <p>A connect selects a server, calls it, and answers with QR_REQUIRED (or CONNECTED); it then watches the session
 * until it is CONNECTED or the QR timeout passes. When the server fails the call, it reports a PASSIVE failed check
 * and tries the next candidate after an exponential backoff, up to {@code maxRetries} times.
 */
public final class Lifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Where a connect may go: selection with {@code base} (minus servers tried), or only {@code pinned}. */
    private record Placement(SelectionRequest base, String pinned, ServerView first) {}

    private final FleetState fleet;
    private final Selector selector;
    private final AccountRegistry registry;
    private final ServerCalls calls;
    private final Publisher publisher;
    private final AccountSettings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final AccountEventSink events;
    private final SessionWatches watches;
    private final EndAndRefresh endAndRefresh;
    private final AccountQueue queue = new AccountQueue();

    public Lifecycle(
            FleetState fleet,
            Selector selector,
            AccountRegistry registry,
            ServerCalls calls,
            Publisher publisher,
            AccountSettings settings,
            Clock clock) {
        this.fleet = fleet;
        this.selector = selector;
        this.registry = registry;
        this.calls = calls;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
        this.backoff = new Backoff(settings.retryBackoff(), settings.retryBackoffMax());
        this.events = new AccountEventFactory(registry, publisher::event, clock);
        this.watches = new SessionWatches(queue, calls::client, events, publisher::failedCall, settings, clock);
        this.endAndRefresh = new EndAndRefresh(registry, calls::client, events, publisher::failedCall, this::watch);
    }

    /** Whether requests can be handled: the health table has been read. */
    boolean ready() {
        return fleet.isCaughtUp();
    }

    /** Which accounts this instance handles now; watches of the others stop (their new owner resumes them). */
    void ownedBy(Predicate<String> owned) {
        watches.ownedBy(owned);
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
                        case CONNECT -> connect(ctx, request);
                        case DISCONNECT -> endAndRefresh.disconnect(ctx);
                        case REFRESH_QR -> endAndRefresh.refreshQr(ctx);
                        case MIGRATE -> migrate(ctx, request);
                    };
                })
                .exceptionallyCompose(error -> {
                    log.error("request {} for {} failed", request.getRequestId(), request.getAccountId(), error);
                    return events.publish(ctx, null, AccountState.FAILED, null, null, "internal error: " + error, 1);
                })
                .exceptionally(error -> null);
    }

    /** Resumes watching the sessions of accounts waiting for a scan, e.g. after taking over their partition. */
    void resumeWatches(Predicate<String> accounts) {
        for (AccountRegistry.Account account : registry.accounts()) {
            if ((account.state() == AccountState.QR_REQUIRED || account.state() == AccountState.CONNECTING)
                    && account.serverId() != null
                    && accounts.test(account.accountId())) {
                RequestContext ctx = new RequestContext(
                        account.requestId(),
                        account.operationId(),
                        account.requestedBy(),
                        account.accountId(),
                        account.accountName());
                watches.resume(
                        ctx,
                        account.serverId(),
                        account.qrCode(),
                        account.attempt(),
                        account.updatedAt().plus(settings.qrTimeout()));
            }
        }
    }

    // ---- CONNECT

    private CompletableFuture<Void> connect(RequestContext ctx, ConnectionRequest request) {
        SelectionRequest base = new SelectionRequest(
                request.getEnvironment(),
                request.getLocation(),
                Set.copyOf(request.getTags()),
                request.getMinCapacity() == null ? 1 : request.getMinCapacity(),
                request.getAlgorithm(),
                request.getAccountId());
        AccountRegistry.Account current = registry.account(ctx.accountId());
        if (current != null
                && current.state() == AccountState.CONNECTED
                && request.getServerId() == null
                && Selector.stickyServer(fleet.fleet(), base, registry) != null) {
            return alreadyConnected(ctx, current, base);
        }
        return attempt(ctx, new Placement(base, request.getServerId(), null), 1, new HashSet<>(), new ArrayList<>());
    }

    /** A connect for an account that is connected where it should be: its session is checked, not restarted. */
    private CompletableFuture<Void> alreadyConnected(
            RequestContext ctx, AccountRegistry.Account current, SelectionRequest base) {
        ServerClient client;
        try {
            client = calls.client(current.serverId());
        } catch (ServerEndpoints.InvalidConfig e) {
            return attempt(ctx, new Placement(base, null, null), 1, new HashSet<>(), new ArrayList<>());
        }
        return client.status(ctx.accountId()).thenCompose(result -> {
            if (result instanceof CallResult.Ok<SessionInfo> ok && ok.value().state() == AccountState.CONNECTED) {
                return events.publish(
                        ctx,
                        current.serverId(),
                        AccountState.CONNECTED,
                        ok.value().connectionId(),
                        null,
                        "already connected",
                        1);
            }
            return attempt(ctx, new Placement(base, null, null), 1, new HashSet<>(), new ArrayList<>());
        });
    }

    private CompletableFuture<Void> attempt(
            RequestContext ctx, Placement placement, int attempt, Set<String> tried, List<String> failures) {
        ServerView server;
        if (attempt == 1 && placement.first() != null) {
            server = placement.first();
        } else if (placement.pinned() != null) {
            server = fleet.fleet().server(placement.pinned());
            if (server == null || tried.contains(placement.pinned())) {
                return failed(
                        ctx,
                        failures,
                        server == null
                                ? "server " + placement.pinned() + " is not in the health table"
                                : "server " + placement.pinned() + " was asked for and failed");
            }
        } else {
            Selection selection = selector.select(
                    fleet.fleet(), fleet.rules(), placement.base().excluding(tried), registry, registry);
            if (selection instanceof Selection.NoServer none) {
                return failed(ctx, failures, none.reason());
            }
            server = ((Selection.Chosen) selection).server();
        }
        String serverId = server.id();
        tried.add(serverId);
        String retrying = failures.isEmpty() ? null : "retry after " + failures.get(failures.size() - 1);
        ServerClient client;
        try {
            client = calls.client(serverId);
        } catch (ServerEndpoints.InvalidConfig e) {
            failures.add(e.getMessage());
            return retry(ctx, placement, attempt, tried, failures);
        }
        return events.publish(ctx, serverId, AccountState.PENDING, null, null, retrying, attempt)
                .thenCompose(sent -> client.connect(ctx.accountId(), ctx.accountName()))
                .thenCompose(result -> {
                    if (result instanceof CallResult.Ok<SessionInfo> ok) {
                        SessionInfo session = ok.value();
                        switch (session.state()) {
                            case QR_REQUIRED:
                                return events.publish(
                                                ctx,
                                                serverId,
                                                AccountState.QR_REQUIRED,
                                                session.connectionId(),
                                                session.qrCode(),
                                                null,
                                                attempt)
                                        .thenRun(() -> watch(ctx, serverId, session.qrCode(), attempt));
                            case CONNECTED:
                                return events.publish(
                                        ctx,
                                        serverId,
                                        AccountState.CONNECTED,
                                        session.connectionId(),
                                        null,
                                        null,
                                        attempt);
                            case FAILED:
                            case DISCONNECTED:
                                failures.add(serverId + " did not start the session: " + session.serverStatus());
                                return retry(ctx, placement, attempt, tried, failures);
                            default:
                                return events.publish(
                                                ctx,
                                                serverId,
                                                AccountState.CONNECTING,
                                                session.connectionId(),
                                                null,
                                                null,
                                                attempt)
                                        .thenCompose(sent -> watch(ctx, serverId, null, attempt));
                        }
                    }
                    CallResult.Failed<SessionInfo> failure = (CallResult.Failed<SessionInfo>) result;
                    publisher.failedCall(serverId, failure);
                    failures.add(serverId + " failed: " + ServerCalls.describe(failure));
                    return retry(ctx, placement, attempt, tried, failures);
                });
    }

    private CompletableFuture<Void> retry(
            RequestContext ctx, Placement placement, int attempt, Set<String> tried, List<String> failures) {
        if (attempt > settings.maxRetries()) {
            return failed(ctx, failures, null);
        }
        return CompletableFuture.supplyAsync(() -> null, backoff.before(attempt))
                .thenCompose(ignored -> attempt(ctx, placement, attempt + 1, tried, failures));
    }

    private CompletableFuture<Void> failed(RequestContext ctx, List<String> failures, String last) {
        StringBuilder reason = new StringBuilder();
        if (!failures.isEmpty()) {
            reason.append(failures.size()).append(" attempt(s) failed: ").append(String.join("; ", failures));
        }
        if (last != null) {
            reason.append(reason.length() == 0 ? "" : "; then ").append(last);
        }
        return events.publish(ctx, null, AccountState.FAILED, null, null, reason.toString(), failures.size() + 1);
    }

    // ---- watching a session until it is connected

    private CompletableFuture<Void> watch(RequestContext ctx, String serverId, String qrCode, int attempt) {
        return watches.watch(ctx, serverId, qrCode, attempt, clock.instant().plus(settings.qrTimeout()));
    }

    // ---- DISCONNECT, REFRESH_QR

    // ---- MIGRATE

    private CompletableFuture<Void> migrate(RequestContext ctx, ConnectionRequest request) {
        AccountRegistry.Account current = registry.account(ctx.accountId());
        String source = current != null && current.active() ? current.serverId() : null;
        String target = request.getServerId();
        if (target != null && target.equals(source)) {
            return events.publish(ctx, source, current.state(), null, current.qrCode(), "already on " + target, 1);
        }
        ServerView sourceView = source == null ? null : fleet.fleet().server(source);
        String environment = request.getEnvironment() != null || sourceView == null
                ? request.getEnvironment()
                : sourceView.environment();
        SelectionRequest base = new SelectionRequest(
                        environment,
                        request.getLocation(),
                        Set.copyOf(request.getTags()),
                        request.getMinCapacity() == null ? 1 : request.getMinCapacity(),
                        request.getAlgorithm(),
                        null)
                .excluding(source == null ? Set.of() : Set.of(source));
        ServerView first;
        if (target != null) {
            first = fleet.fleet().server(target);
            if (first == null) {
                return refuse(ctx, current, "migration refused: server " + target + " is not in the health table");
            }
        } else {
            Selection selection = selector.select(fleet.fleet(), fleet.rules(), base, registry, registry);
            if (selection instanceof Selection.NoServer none) {
                return refuse(ctx, current, "migration refused: " + none.reason());
            }
            first = ((Selection.Chosen) selection).server();
        }
        Placement placement = new Placement(base, target, first);
        return events.publish(
                        ctx,
                        first.id(),
                        AccountState.MIGRATING,
                        null,
                        null,
                        source == null ? "no session to move" : "from " + source,
                        1)
                .thenCompose(sent -> leave(ctx, source))
                .thenCompose(left -> attempt(
                        ctx,
                        placement,
                        1,
                        new HashSet<>(source == null ? Set.of() : Set.of(source)),
                        left == null ? new ArrayList<>() : new ArrayList<>(List.of(left))));
    }

    /** Ends the session on a migration's source; a source that cannot be reached does not stop the migration. */
    private CompletableFuture<String> leave(RequestContext ctx, String source) {
        if (source == null) {
            return CompletableFuture.completedFuture(null);
        }
        ServerClient client;
        try {
            client = calls.client(source);
        } catch (ServerEndpoints.InvalidConfig e) {
            return CompletableFuture.completedFuture(null);
        }
        return client.disconnect(ctx.accountId()).thenApply(result -> {
            if (result instanceof CallResult.Failed<SessionInfo> failure) {
                publisher.failedCall(source, failure);
                return "the session on " + source + " could not be ended: " + ServerCalls.describe(failure);
            }
            return null;
        });
    }

    /** Answers a request that changes nothing: the account's state as it is, with why. */
    private CompletableFuture<Void> refuse(RequestContext ctx, AccountRegistry.Account current, String reason) {
        if (current == null) {
            return events.publish(ctx, null, AccountState.FAILED, null, null, reason, 1);
        }
        return events.publish(
                ctx, current.serverId(), current.state(), current.connectionId(), current.qrCode(), reason, 1);
    }

    @Override
    public void close() {
        watches.close();
    }
}
