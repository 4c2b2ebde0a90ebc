package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * DISCONNECT and REFRESH_QR: the account's session logged out on its server (DISCONNECTED, or FAILED with the
 * server's reason), or a waiting account's QR renewed (QR_REQUIRED with the new code, or the last one when the
 * server cannot give one) and its session watched again.
 */
final class EndAndRefresh {

    /** Watches a session again after its QR was shown. */
    @FunctionalInterface
    interface Rewatch {
        CompletableFuture<Void> watch(RequestContext ctx, String serverId, String qrCode, int attempt);
    }

    private final AccountRegistry registry;
    private final Function<String, ServerClient> clients;
    private final AccountEventSink events;
    private final BiConsumer<String, CallResult.Failed<?>> failedCalls;
    private final Rewatch rewatch;

    /** @param clients the client of a server; throws {@link ServerEndpoints.InvalidConfig} when it has none */
    EndAndRefresh(
            AccountRegistry registry,
            Function<String, ServerClient> clients,
            AccountEventSink events,
            BiConsumer<String, CallResult.Failed<?>> failedCalls,
            Rewatch rewatch) {
        this.registry = registry;
        this.clients = clients;
        this.events = events;
        this.failedCalls = failedCalls;
        this.rewatch = rewatch;
    }

    CompletableFuture<Void> disconnect(RequestContext ctx) {
        Account current = registry.account(ctx.accountId());
        if (current == null || current.serverId() == null) {
            return events.publish(ctx, null, AccountState.DISCONNECTED, null, null, "the account is not connected", 1);
        }
        String serverId = current.serverId();
        if (current.state() == AccountState.DISCONNECTED) {
            return events.publish(ctx, serverId, AccountState.DISCONNECTED, null, null, "already disconnected", 1);
        }
        ServerClient client;
        try {
            client = clients.apply(serverId);
        } catch (ServerEndpoints.InvalidConfig e) {
            return events.publish(ctx, serverId, AccountState.DISCONNECTED, null, null, e.getMessage(), 1);
        }
        return client.disconnect(ctx.accountId()).thenCompose(result -> {
            if (result instanceof CallResult.Failed<SessionInfo> failure) {
                failedCalls.accept(serverId, failure);
                String reason = "disconnect failed on " + serverId + ": " + ServerCalls.describe(failure);
                return events.publish(ctx, serverId, AccountState.FAILED, null, null, reason, 1);
            }
            return events.publish(ctx, serverId, AccountState.DISCONNECTED, null, null, null, 1);
        });
    }

    CompletableFuture<Void> refreshQr(RequestContext ctx) {
        Account current = registry.account(ctx.accountId());
        if (current == null || current.state() != AccountState.QR_REQUIRED) {
            AccountState state = current == null ? AccountState.DISCONNECTED : current.state();
            return events.publish(
                    ctx,
                    current == null ? null : current.serverId(),
                    state,
                    null,
                    current == null ? null : current.qrCode(),
                    "no QR code to refresh: the account is " + state,
                    1);
        }
        ServerClient client;
        try {
            client = clients.apply(current.serverId());
        } catch (ServerEndpoints.InvalidConfig e) {
            return events.publish(ctx, current.serverId(), AccountState.FAILED, null, null, e.getMessage(), 1);
        }
        return client.refreshQr(ctx.accountId()).thenCompose(result -> {
            String qr = current.qrCode();
            String reason = null;
            if (result instanceof CallResult.Ok<SessionInfo> ok && ok.value().qrCode() != null) {
                qr = ok.value().qrCode();
            } else if (result instanceof CallResult.Failed<SessionInfo> failure) {
                failedCalls.accept(current.serverId(), failure);
                reason = "refresh failed, the last QR code stands: " + ServerCalls.describe(failure);
            }
            String shown = qr;
            return events.publish(
                            ctx,
                            current.serverId(),
                            AccountState.QR_REQUIRED,
                            current.connectionId(),
                            shown,
                            reason,
                            current.attempt())
                    .thenRun(() -> rewatch.watch(ctx, current.serverId(), shown, current.attempt()));
        });
    }
}
