package io.wafleet.router.operations;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Bounded concurrency for operations: a fixed number of lanes, each taking the next item when its last is done. */
final class Lanes {

    private Lanes() {}

    /** Applies {@code action} to every item, at most {@code concurrency} at a time, then finishes the operation. */
    static <T> void run(Operation operation, List<T> items, int concurrency, Function<T, CompletableFuture<?>> action) {
        AtomicInteger next = new AtomicInteger();
        CompletableFuture<?>[] lanes = new CompletableFuture<?>[Math.max(1, Math.min(concurrency, items.size()))];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = lane(items, next, action);
        }
        CompletableFuture.allOf(lanes).whenComplete((done, error) -> operation.finish());
    }

    private static <T> CompletableFuture<Void> lane(
            List<T> items, AtomicInteger next, Function<T, CompletableFuture<?>> action) {
        int index = next.getAndIncrement();
        if (index >= items.size()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?> step;
        try {
            step = action.apply(items.get(index));
        } catch (RuntimeException e) {
            step = CompletableFuture.failedFuture(e);
        }
        // Async: a lane of steps that complete at once must not grow the stack.
        return step.handleAsync((value, error) -> null).thenCompose(ignored -> lane(items, next, action));
    }
}
