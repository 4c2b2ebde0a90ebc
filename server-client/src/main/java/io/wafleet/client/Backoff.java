package io.wafleet.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Exponential backoff with "equal jitter" (half of each step fixed, half random, so retries of many callers do not
 * align): the wait before retry n is min(max, first x 2^(n-1)), of which the second half is random.
 *
 * @param first the step before the first retry
 * @param max the largest step
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= first <= max, was " + first + " and " + max);
        }
    }

    /** The wait in milliseconds before retry {@code retry} (1 for the first retry). */
    public long delayMillis(int retry) {
        long step = Math.min(max.toMillis(), first.toMillis() << Math.min(Math.max(retry, 1) - 1, 20));
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    /** An executor that runs its task after the wait before retry {@code retry}. */
    public Executor before(int retry) {
        return CompletableFuture.delayedExecutor(delayMillis(retry), TimeUnit.MILLISECONDS);
    }
}
