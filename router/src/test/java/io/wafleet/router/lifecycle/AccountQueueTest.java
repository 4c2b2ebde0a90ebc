package io.wafleet.router.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The per-account queue: one account's steps in order, other accounts' beside them, failures not blocking. */
class AccountQueueTest {

    private final AccountQueue queue = new AccountQueue();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void aLaterStepOfTheSameAccountWaitsForTheEarlierOne() {
        CompletableFuture<Void> firstCall = new CompletableFuture<>();
        CompletableFuture<Void> first = queue.then("a", () -> {
            ran.add("a1");
            return firstCall;
        });
        CompletableFuture<Void> second = queue.then("a", () -> {
            ran.add("a2");
            return CompletableFuture.completedFuture(null);
        });

        assertThat(ran).containsExactly("a1");
        assertThat(second).isNotDone();
        assertThat(queue.busy("a")).isTrue();

        firstCall.complete(null);

        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(ran).containsExactly("a1", "a2");
        assertThat(queue.busy("a")).isFalse();
    }

    @Test
    void anotherAccountsStepDoesNotWait() {
        queue.then("a", CompletableFuture::new); // never completes

        CompletableFuture<String> other = queue.then("b", () -> CompletableFuture.completedFuture("b"));

        assertThat(other).isCompletedWithValue("b");
    }

    @Test
    void aFailedOrThrowingStepDoesNotStopTheNextAndKeepsItsOwnFailure() {
        CompletableFuture<Void> failed =
                queue.then("a", () -> CompletableFuture.failedFuture(new IllegalStateException("server down")));
        CompletableFuture<Void> threw = queue.then("a", () -> {
            throw new IllegalArgumentException("bad step");
        });
        CompletableFuture<String> next = queue.then("a", () -> CompletableFuture.completedFuture("went on"));

        assertThat(failed).isCompletedExceptionally();
        assertThat(threw).isCompletedExceptionally();
        assertThat(threw.handle((v, e) -> e.getMessage()).join()).contains("bad step");
        assertThat(next).isCompletedWithValue("went on");
    }

    @Test
    void aNewGenerationIsSeenByWhoeverReadsTheAccountsGeneration() {
        assertThat(queue.generationOf("a")).isZero();

        int started = queue.newGeneration("a");

        assertThat(started).isEqualTo(1);
        assertThat(queue.generationOf("a")).isEqualTo(1);
        assertThat(queue.generationOf("b")).isZero();
    }
}
