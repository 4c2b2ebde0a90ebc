package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Posts requests to wa.connection-requests as any producer would, and waits for the account state that answers each
 * one (whichever router instance handles it: every instance reads every account's state, which holds the QR image the
 * events leave out). Used by the REST API, drains and bulk operations.
 */
public final class AccountRequests {

    /** The states that answer each action; the steps in between are not answers. */
    private static final Map<ConnectionAction, Set<AccountState>> ANSWERS = Map.of(
            ConnectionAction.CONNECT,
            EnumSet.of(AccountState.QR_REQUIRED, AccountState.CONNECTED, AccountState.FAILED),
            ConnectionAction.MIGRATE,
            EnumSet.complementOf(EnumSet.of(AccountState.MIGRATING, AccountState.PENDING, AccountState.CONNECTING)),
            ConnectionAction.DISCONNECT,
            EnumSet.of(AccountState.DISCONNECTED, AccountState.FAILED),
            ConnectionAction.REFRESH_QR,
            EnumSet.allOf(AccountState.class));

    private record Waiter(Set<AccountState> answers, CompletableFuture<AccountRegistry.Account> answer) {}

    private final Publisher publisher;
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();

    public AccountRequests(Publisher publisher, AccountRegistry registry) {
        this.publisher = publisher;
        registry.onState(this::answered);
    }

    /**
     * Posts the request; the future completes with the account's state that answers it, or with a
     * {@link java.util.concurrent.TimeoutException} when none came within {@code timeout}.
     */
    public CompletableFuture<AccountRegistry.Account> send(ConnectionRequest request, Duration timeout) {
        CompletableFuture<AccountRegistry.Account> answer = new CompletableFuture<>();
        waiters.put(request.getRequestId(), new Waiter(ANSWERS.get(request.getAction()), answer));
        publisher.request(request).whenComplete((sent, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            }
        });
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((event, error) -> waiters.remove(request.getRequestId()));
    }

    private void answered(AccountRegistry.Account account) {
        if (account.requestId() == null) {
            return;
        }
        Waiter waiter = waiters.get(account.requestId());
        if (waiter != null && waiter.answers().contains(account.state())) {
            waiter.answer().complete(account);
        }
    }
}
