package io.wafleet.client;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a server said of itself (its version and tier), kept for a while: a caller that never checks health (the
 * router) still reads it again after {@link #MAX_AGE}, so an upgrade (WAHA Core to Plus, Evolution 1.8 to 2) is seen.
 *
 * @param <T> what is kept
 */
final class Remembered<T> {

    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private record Entry<T>(T value, long readAtNanos) {}

    private final AtomicReference<Entry<T>> entry = new AtomicReference<>();

    /** The value while it is younger than {@link #MAX_AGE}, else null. */
    T fresh() {
        Entry<T> current = entry.get();
        return current == null || System.nanoTime() - current.readAtNanos() > MAX_AGE.toNanos()
                ? null
                : current.value();
    }

    void set(T value) {
        entry.set(value == null ? null : new Entry<>(value, System.nanoTime()));
    }
}
