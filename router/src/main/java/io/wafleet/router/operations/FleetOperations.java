package io.wafleet.router.operations;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.lifecycle.ServerCalls;
import io.wafleet.router.requests.AccountRequests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Operations over many accounts or servers: draining a server (migrating its accounts off) and the bulk operations.
 * Each runs in the background with bounded concurrency; account steps go through wa.connection-requests like any
 * request (so the router that owns each account does the work), server calls go straight to the servers.
 */
public final class FleetOperations {

    /** The bulk operations of {@code POST /api/v1/bulk/{operation}}. */
    public enum Bulk {
        DISCONNECT("disconnect"),
        REFRESH_QR("refresh-qr"),
        HEALTH("health"),
        STATS("stats");

        public final String path;

        Bulk(String path) {
            this.path = path;
        }

        public static Optional<Bulk> of(String path) {
            for (Bulk bulk : values()) {
                if (bulk.path.equals(path)) {
                    return Optional.of(bulk);
                }
            }
            return Optional.empty();
        }
    }

    private final AccountRegistry registry;
    private final AccountRequests requests;
    private final ServerCalls calls;
    private final AccountSettings settings;
    private final OperationViews views;

    public FleetOperations(
            AccountRegistry registry,
            AccountRequests requests,
            ServerCalls calls,
            AccountSettings settings,
            OperationStore store) {
        this.registry = registry;
        this.requests = requests;
        this.calls = calls;
        this.settings = settings;
        this.views = new OperationViews(store);
    }

    /** The view of an operation, from this instance or the database: see {@link OperationViews#view}. */
    public Map<String, Object> view(String id) {
        return views.view(id);
    }

    /** Stops writing views (Spring calls it when the router stops). */
    public void close() {
        views.close();
    }

    /**
     * Migrates every account that has or is getting a session on the server to other servers of its pool, at most
     * {@code migrationConcurrency} at a time. The caller has marked the server draining.
     */
    public Operation drain(String serverId, String actor) {
        return drain(serverId, actor, List.of());
    }

    /**
     * A drain that also migrates {@code elsewhere}: the server's accounts held by other router instances (when each
     * holds only its own partitions' accounts); their requests go to those instances through the topic like any.
     */
    public Operation drain(String serverId, String actor, List<Account> elsewhere) {
        List<Account> accounts = new ArrayList<>(registry.activeOn(Set.of(serverId)));
        List<Account> others = elsewhere.stream().filter(Account::active).toList();
        accounts.addAll(others);
        Set<String> othersLeft = ConcurrentHashMap.newKeySet();
        others.forEach(account -> othersLeft.add(account.accountId()));
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("serverId", serverId);
        Operation operation = views.start(
                "drain",
                actor,
                accounts.size(),
                scope,
                () -> Map.of("remaining", registry.activeCount(serverId) + othersLeft.size()));
        Lanes.run(
                operation,
                accounts,
                settings.migrationConcurrency(),
                account -> requests.send(
                                request(account.accountId(), ConnectionAction.MIGRATE, operation),
                                settings.replyTimeout())
                        .handle((answer, error) -> {
                            if (error == null
                                    && answer.state() != AccountState.FAILED
                                    && !serverId.equals(answer.serverId())) {
                                othersLeft.remove(account.accountId());
                                operation.succeeded(answer.serverId());
                            } else {
                                operation.failed(serverId, account.accountId(), reason(answer, error));
                            }
                            return null;
                        }));
        return operation;
    }

    /** Runs a bulk operation on the servers given. */
    public Operation bulk(Bulk bulk, Collection<String> serverIds, Map<String, Object> selector, String actor) {
        return bulk(bulk, serverIds, selector, actor, List.of());
    }

    /** A bulk operation that also acts on {@code elsewhere}, the servers' accounts other router instances hold. */
    public Operation bulk(
            Bulk bulk,
            Collection<String> serverIds,
            Map<String, Object> selector,
            String actor,
            List<Account> elsewhere) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("selector", selector);
        scope.put("serverCount", serverIds.size());
        return switch (bulk) {
            case DISCONNECT, REFRESH_QR -> bulkAccounts(bulk, serverIds, scope, actor, elsewhere);
            case HEALTH, STATS -> bulkCalls(bulk, serverIds, scope, actor);
        };
    }

    private Operation bulkAccounts(
            Bulk bulk, Collection<String> serverIds, Map<String, Object> scope, String actor, List<Account> elsewhere) {
        List<Account> accounts = new ArrayList<>();
        List<Account> candidates = new ArrayList<>(registry.activeOn(Set.copyOf(serverIds)));
        elsewhere.stream().filter(Account::active).forEach(candidates::add);
        for (Account account : candidates) {
            if (bulk == Bulk.DISCONNECT || account.state() == AccountState.QR_REQUIRED) {
                accounts.add(account);
            }
        }
        ConnectionAction action = bulk == Bulk.DISCONNECT ? ConnectionAction.DISCONNECT : ConnectionAction.REFRESH_QR;
        AccountState wanted = bulk == Bulk.DISCONNECT ? AccountState.DISCONNECTED : AccountState.QR_REQUIRED;
        Operation operation = views.start(bulk.path, actor, accounts.size(), scope, Map::of);
        serverIds.forEach(operation::server);
        Lanes.run(
                operation,
                accounts,
                settings.bulkConcurrency(),
                account -> requests.send(request(account.accountId(), action, operation), settings.replyTimeout())
                        .handle((answer, error) -> {
                            if (error == null && answer.state() == wanted) {
                                operation.succeeded(account.serverId());
                            } else {
                                operation.failed(account.serverId(), account.accountId(), reason(answer, error));
                            }
                            return null;
                        }));
        return operation;
    }

    private Operation bulkCalls(Bulk bulk, Collection<String> serverIds, Map<String, Object> scope, String actor) {
        Operation operation = views.start(bulk.path, actor, serverIds.size(), scope, Map::of);
        Lanes.run(operation, List.copyOf(serverIds), settings.bulkConcurrency(), serverId -> {
            ServerClient client;
            try {
                client = calls.client(serverId);
            } catch (ServerEndpoints.InvalidConfig e) {
                operation.called(serverId, false, Map.of("ok", false, "message", e.getMessage()));
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<? extends CallResult<?>> call = bulk == Bulk.HEALTH ? client.health() : client.stats();
            return call.thenAccept(result -> operation.called(serverId, result.isOk(), CallOutcomes.of(result)));
        });
        return operation;
    }

    private static ConnectionRequest request(String accountId, ConnectionAction action, Operation operation) {
        return ConnectionRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAccountId(accountId)
                .setAction(action)
                .setRequestedAt(Instant.now())
                .setRequestedBy(operation.requestedBy())
                .setMetadata(Map.of("operationId", operation.id()))
                .build();
    }

    private static String reason(Account answer, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            return cause instanceof TimeoutException ? "no answer in time" : cause.toString();
        }
        return answer.state() + (answer.reason() == null ? "" : ": " + answer.reason());
    }
}
