package io.wafleet.router.lifecycle;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One queue per account: the steps of an account run one after another (a step starts once the one before it has
 * completed, normally or not), the steps of different accounts at once, and no thread waits. Also each account's
 * request generation: a new request starts one, and a watch of an earlier generation stops.
 */
final class AccountQueue {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> generations = new ConcurrentHashMap<>();

    /** Runs {@code step} after every earlier step of the account has completed; completes as the step does. */
    <T> CompletableFuture<T> then(String accountId, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> next = new CompletableFuture<>();
        CompletableFuture<?>[] before = new CompletableFuture<?>[1];
        tails.compute(accountId, (id, tail) -> {
            before[0] = tail;
            return next;
        });
        CompletableFuture<?> previous = before[0] == null ? DONE : before[0];
        previous.handle((value, error) -> null)
                .thenCompose(ignored -> {
                    try {
                        return step.get();
                    } catch (RuntimeException e) {
                        return CompletableFuture.<T>failedFuture(e);
                    }
                })
                .whenComplete((value, error) -> {
                    tails.remove(accountId, next);
                    if (error == null) {
                        next.complete(value);
                    } else {
                        next.completeExceptionally(error);
                    }
                });
        return next;
    }

    /** Whether the account has a step queued or running. */
    boolean busy(String accountId) {
        return tails.containsKey(accountId);
    }

    /** Starts a new generation of the account's requests; returns it. */
    int newGeneration(String accountId) {
        return generation(accountId).incrementAndGet();
    }

    /** The account's current generation. */
    int generationOf(String accountId) {
        return generation(accountId).get();
    }

    private AtomicInteger generation(String accountId) {
        return generations.computeIfAbsent(accountId, id -> new AtomicInteger());
    }
}
