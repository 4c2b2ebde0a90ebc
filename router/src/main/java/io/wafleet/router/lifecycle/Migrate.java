package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
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
 * MIGRATE: publishes MIGRATING (serverId = the target, reason "from" the source), ends the session on the source (a
 * source that cannot be reached does not stop it), then connects on the target ({@code serverId}, or one selected in
 * the account's pool without the source) with the connect's states and failover.
 */
final class Migrate {

    private final Supplier<Fleet> fleet;
    private final Supplier<PoolRules> rules;
    private final Selector selector;
    private final AccountRegistry registry;
    private final Function<String, ServerClient> clients;
    private final BiConsumer<String, CallResult.Failed<?>> failedCalls;
    private final AccountEventSink events;
    private final Connect connect;

    Migrate(
            Supplier<Fleet> fleet,
            Supplier<PoolRules> rules,
            Selector selector,
            AccountRegistry registry,
            Function<String, ServerClient> clients,
            BiConsumer<String, CallResult.Failed<?>> failedCalls,
            AccountEventSink events,
            Connect connect) {
        this.fleet = fleet;
        this.rules = rules;
        this.selector = selector;
        this.registry = registry;
        this.clients = clients;
        this.failedCalls = failedCalls;
        this.events = events;
        this.connect = connect;
    }

    CompletableFuture<Void> migrate(RequestContext ctx, ConnectionRequest request) {
        Account current = registry.account(ctx.accountId());
        String source = current != null && current.active() ? current.serverId() : null;
        String target = request.getServerId();
        if (target != null && target.equals(source)) {
            return events.publish(ctx, source, current.state(), null, current.qrCode(), "already on " + target, 1);
        }
        ServerView sourceView = source == null ? null : fleet.get().server(source);
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
            first = fleet.get().server(target);
            if (first == null) {
                return refuse(ctx, current, "migration refused: server " + target + " is not in the health table");
            }
        } else {
            Selection selection = selector.select(fleet.get(), rules.get(), base, registry, registry);
            if (selection instanceof Selection.NoServer none) {
                return refuse(ctx, current, "migration refused: " + none.reason());
            }
            first = ((Selection.Chosen) selection).server();
        }
        Connect.Placement placement = new Connect.Placement(base, target, first);
        return events.publish(
                        ctx,
                        first.id(),
                        AccountState.MIGRATING,
                        null,
                        null,
                        source == null ? "no session to move" : "from " + source,
                        1)
                .thenCompose(sent -> leave(ctx, source))
                .thenCompose(left -> connect.attempt(
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
            client = clients.apply(source);
        } catch (ServerEndpoints.InvalidConfig e) {
            return CompletableFuture.completedFuture(null);
        }
        return client.disconnect(ctx.accountId()).thenApply(result -> {
            if (result instanceof CallResult.Failed<SessionInfo> failure) {
                failedCalls.accept(source, failure);
                return "the session on " + source + " could not be ended: " + ServerCalls.describe(failure);
            }
            return null;
        });
    }

    /** Answers a request that changes nothing: the account's state as it is, with why. */
    private CompletableFuture<Void> refuse(RequestContext ctx, Account current, String reason) {
        if (current == null) {
            return events.publish(ctx, null, AccountState.FAILED, null, null, reason, 1);
        }
        return events.publish(
                ctx, current.serverId(), current.state(), current.connectionId(), current.qrCode(), reason, 1);
    }
}
