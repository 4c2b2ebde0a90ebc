package io.wafleet.router.requests;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountEvents;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.Publisher;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Posts requests to wa.connection-requests as any producer would, and waits for the account state that answers each
 * one, whichever router instance handles it: from the registry for the accounts this instance holds (their state
 * holds the QR image the events leave out), from the events for the others ({@link #answeringFrom}). Used by the
 * REST API, drains and bulk operations.
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

    private record Waiter(Set<AccountState> answers, CompletableFuture<Account> answer) {}

    private final Publisher publisher;
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();

    public AccountRequests(Publisher publisher, AccountRegistry registry) {
        this.publisher = publisher;
        registry.onState(this::answered);
    }

    /**
     * Also answers from the events of accounts this instance does not hold (when each holds only its own partitions'
     * accounts, a drain or bulk operation waits here for accounts another instance handles): the event's state is
     * the answer, without the QR image, which only the holder has.
     */
    public AccountRequests answeringFrom(AccountEvents events, AccountRegistry registry) {
        events.onEvent(event -> {
            if (event.getRequestId() != null
                    && !registry.holds(event.getAccountId())
                    && waiters.containsKey(event.getRequestId())) {
                answered(Account.of(event));
            }
        });
        return this;
    }

    /**
     * Posts the request; the future completes with the account's state that answers it, or with a
     * {@link java.util.concurrent.TimeoutException} when none came within {@code timeout}.
     */
    public CompletableFuture<Account> send(ConnectionRequest request, Duration timeout) {
        CompletableFuture<Account> answer = new CompletableFuture<>();
        waiters.put(request.getRequestId(), new Waiter(ANSWERS.get(request.getAction()), answer));
        publisher.request(request).whenComplete((sent, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            }
        });
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((event, error) -> waiters.remove(request.getRequestId()));
    }

    private void answered(Account account) {
        if (account.requestId() == null) {
            return;
        }
        Waiter waiter = waiters.get(account.requestId());
        if (waiter != null && waiter.answers().contains(account.state())) {
            waiter.answer().complete(account);
        }
    }
}
