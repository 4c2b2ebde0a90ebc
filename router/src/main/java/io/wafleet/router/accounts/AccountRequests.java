package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Posts requests to wa.connection-requests as any producer would, and waits for the event that answers each one
 * (whichever router instance handles it: every instance reads all connection events). Used by the REST API, drains
 * and bulk operations.
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

    private record Waiter(Set<AccountState> answers, CompletableFuture<ConnectionEvent> answer) {}

    private final Publisher publisher;
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();

    public AccountRequests(Publisher publisher, AccountRegistry registry) {
        this.publisher = publisher;
        registry.onEvent(this::answered);
    }

    /**
     * Posts the request; the future completes with the event that answers it, or with a
     * {@link java.util.concurrent.TimeoutException} when none came within {@code timeout}.
     */
    public CompletableFuture<ConnectionEvent> send(ConnectionRequest request, Duration timeout) {
        CompletableFuture<ConnectionEvent> answer = new CompletableFuture<>();
        waiters.put(request.getRequestId(), new Waiter(ANSWERS.get(request.getAction()), answer));
        publisher.request(request).whenComplete((sent, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            }
        });
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((event, error) -> waiters.remove(request.getRequestId()));
    }

    private void answered(ConnectionEvent event) {
        if (event.getRequestId() == null) {
            return;
        }
        Waiter waiter = waiters.get(event.getRequestId());
        if (waiter != null && waiter.answers().contains(event.getState())) {
            waiter.answer().complete(event);
        }
    }
}
