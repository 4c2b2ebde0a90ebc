package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ServerNotice;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A server's notice that a connected account's session stopped, failed or was logged out: the server's API is asked
 * (the notice alone sets nothing), and when it confirms, the account is DISCONNECTED or FAILED with the server's
 * reason ("logged out on the phone: needs a new QR"). Queued behind the account's other steps; a request that came in
 * meanwhile wins.
 */
final class DroppedSessions {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final AccountRegistry registry;
    private final AccountQueue queue;
    private final Function<String, ServerClient> clients;
    private final AccountEventSink events;

    DroppedSessions(
            AccountRegistry registry,
            AccountQueue queue,
            Function<String, ServerClient> clients,
            AccountEventSink events) {
        this.registry = registry;
        this.queue = queue;
        this.clients = clients;
        this.events = events;
    }

    void notice(ServerNotice notice) {
        if (notice.getState() != AccountState.DISCONNECTED && notice.getState() != AccountState.FAILED) {
            return;
        }
        String accountId = notice.getAccountId();
        if (!connectedOn(registry.account(accountId), notice.getServerId())) {
            return;
        }
        int generation = queue.generationOf(accountId);
        queue.then(accountId, () -> {
            Account account = registry.account(accountId);
            if (queue.generationOf(accountId) != generation || !connectedOn(account, notice.getServerId())) {
                return DONE;
            }
            ServerClient client;
            try {
                client = clients.apply(notice.getServerId());
            } catch (ServerEndpoints.InvalidConfig e) {
                return DONE;
            }
            return client.status(accountId).thenCompose(result -> confirmed(account, notice, result));
        });
    }

    private CompletableFuture<Void> confirmed(Account account, ServerNotice notice, CallResult<SessionInfo> result) {
        String why = notice.getReason() == null ? "" : " (" + notice.getReason() + ")";
        RequestContext ctx = RequestContext.of(account);
        if (result instanceof CallResult.Ok<SessionInfo> ok) {
            AccountState state = ok.value().state();
            if (state != AccountState.DISCONNECTED && state != AccountState.FAILED) {
                return DONE;
            }
            String reason = SessionWatch.reported(ok.value().serverStatus(), notice.getReason());
            return events.publish(ctx, account.serverId(), state, null, null, reason, account.attempt());
        }
        if (Integer.valueOf(404).equals(((CallResult.Failed<SessionInfo>) result).httpStatus())) {
            String reason = "the session is gone from the server" + why;
            return events.publish(
                    ctx, account.serverId(), AccountState.DISCONNECTED, null, null, reason, account.attempt());
        }
        return DONE;
    }

    private static boolean connectedOn(Account account, String serverId) {
        return account != null && account.state() == AccountState.CONNECTED && serverId.equals(account.serverId());
    }
}
