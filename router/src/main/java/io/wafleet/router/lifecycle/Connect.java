package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.client.Backoff;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.PoolRules;
import io.wafleet.router.select.Selection;
import io.wafleet.router.select.SelectionRequest;
import io.wafleet.router.select.Selector;
import io.wafleet.router.select.ServerView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * CONNECT: selects a server (sticky for an account already placed, or the one asked for), publishes PENDING, calls
 * it, and answers with QR_REQUIRED (then watches the session) or CONNECTED. When the server fails the call, it reports
 * a PASSIVE failed check and tries the next candidate after an exponential backoff, up to {@code maxRetries} times;
 * then FAILED with every attempt in the reason. Migrations connect on their target through {@link #attempt}.
 */
final class Connect {

    /** Where a connect may go: selection with {@code base} (minus servers tried), or only {@code pinned}. */
    record Placement(SelectionRequest base, String pinned, ServerView first) {}

    /** Starts watching a session: (context, server, QR, attempt). */
    interface Watch {
        CompletableFuture<Void> watch(RequestContext ctx, String serverId, String qrCode, int attempt);
    }

    private final Supplier<Fleet> fleet;
    private final Supplier<PoolRules> rules;
    private final Selector selector;
    private final AccountRegistry registry;
    private final Function<String, ServerClient> clients;
    private final BiConsumer<String, CallResult.Failed<?>> failedCalls;
    private final AccountSettings settings;
    private final Backoff backoff;
    private final AccountEventSink events;
    private final Watch watches;

    Connect(
            Supplier<Fleet> fleet,
            Supplier<PoolRules> rules,
            Selector selector,
            AccountRegistry registry,
            Function<String, ServerClient> clients,
            BiConsumer<String, CallResult.Failed<?>> failedCalls,
            AccountSettings settings,
            AccountEventSink events,
            Watch watches) {
        this.fleet = fleet;
        this.rules = rules;
        this.selector = selector;
        this.registry = registry;
        this.clients = clients;
        this.failedCalls = failedCalls;
        this.settings = settings;
        this.backoff = new Backoff(settings.retryBackoff(), settings.retryBackoffMax());
        this.events = events;
        this.watches = watches;
    }

    CompletableFuture<Void> connect(RequestContext ctx, ConnectionRequest request) {
        SelectionRequest base = new SelectionRequest(
                request.getEnvironment(),
                request.getLocation(),
                Set.copyOf(request.getTags()),
                request.getMinCapacity() == null ? 1 : request.getMinCapacity(),
                request.getAlgorithm(),
                request.getAccountId());
        Account current = registry.account(ctx.accountId());
        if (current != null
                && current.state() == AccountState.CONNECTED
                && request.getServerId() == null
                && Selector.stickyServer(fleet.get(), base, registry) != null) {
            return alreadyConnected(ctx, current, base);
        }
        return attempt(ctx, new Placement(base, request.getServerId(), null), 1, new HashSet<>(), new ArrayList<>());
    }

    /** A connect for an account that is connected where it should be: its session is checked, not restarted. */
    private CompletableFuture<Void> alreadyConnected(RequestContext ctx, Account current, SelectionRequest base) {
        ServerClient client;
        try {
            client = clients.apply(current.serverId());
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

    CompletableFuture<Void> attempt(
            RequestContext ctx, Placement placement, int attempt, Set<String> tried, List<String> failures) {
        ServerView server;
        if (attempt == 1 && placement.first() != null) {
            server = placement.first();
        } else if (placement.pinned() != null) {
            server = fleet.get().server(placement.pinned());
            if (server == null || tried.contains(placement.pinned())) {
                return failed(
                        ctx,
                        failures,
                        server == null
                                ? "server " + placement.pinned() + " is not in the health table"
                                : "server " + placement.pinned() + " was asked for and failed");
            }
        } else {
            Selection selection =
                    selector.select(fleet.get(), rules.get(), placement.base().excluding(tried), registry, registry);
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
            client = clients.apply(serverId);
        } catch (ServerEndpoints.InvalidConfig e) {
            failures.add(e.getMessage());
            return retry(ctx, placement, attempt, tried, failures);
        }
        // PENDING answers nothing: the server is called while its transaction commits (its seat is reserved as it is
        // sent), and the next step waits for both, so the account's events stay in order.
        CompletableFuture<Void> pending =
                events.publish(ctx, serverId, AccountState.PENDING, null, null, retrying, attempt);
        return client.connect(ctx.accountId(), ctx.accountName())
                .thenCombine(pending, (result, sent) -> result)
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
                                        .thenRun(() -> watches.watch(ctx, serverId, session.qrCode(), attempt));
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
                                        .thenCompose(sent -> watches.watch(ctx, serverId, null, attempt));
                        }
                    }
                    CallResult.Failed<SessionInfo> failure = (CallResult.Failed<SessionInfo>) result;
                    failedCalls.accept(serverId, failure);
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
}
