package io.wafleet.router.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An operation's items run a few at a time, every one of them, and then the operation finishes. */
class LanesTest {

    @Test
    void atMostConcurrencyItemsRunAtOnceAndEveryOneRuns() throws Exception {
        Operation operation = new Operation("op-1", "bulk", "test", 50, Map.of(), Map::of);
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            items.add(i);
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> ran = new CopyOnWriteArrayList<>();

        Lanes.run(operation, items, 4, item -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            return CompletableFuture.runAsync(
                    () -> {
                        ran.add(item);
                        running.decrementAndGet();
                    },
                    CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
        });

        operation.finished().get(10, TimeUnit.SECONDS);
        assertThat(ran).containsExactlyInAnyOrderElementsOf(items);
        assertThat(most.get()).isBetween(1, 4);
    }

    @Test
    void anItemThatThrowsDoesNotStopTheOthers() throws Exception {
        Operation operation = new Operation("op-2", "bulk", "test", 3, Map.of(), Map::of);
        List<Integer> ran = new CopyOnWriteArrayList<>();

        Lanes.run(operation, List.of(1, 2, 3), 1, item -> {
            if (item == 2) {
                throw new IllegalStateException("boom");
            }
            ran.add(item);
            return CompletableFuture.completedFuture(null);
        });

        operation.finished().get(10, TimeUnit.SECONDS);
        assertThat(ran).containsExactly(1, 3);
    }
}
