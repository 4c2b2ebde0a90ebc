package io.wafleet.router.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whose turn it is to poll one watched session: each scheduled or notice-driven poll takes a new turn and only the
 * newest runs; one poll runs at a time, and a turn taken while one runs is run right after it.
 */
final class PollTurns {

    private final AtomicInteger turn = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean again;

    /** A new turn; every earlier one is void. */
    int next() {
        return turn.incrementAndGet();
    }

    /** Whether {@code turn} is the newest and may start now; if one is running, it is asked to poll again after. */
    boolean start(int turn) {
        if (this.turn.get() != turn) {
            return false;
        }
        if (!running.compareAndSet(false, true)) {
            again = true;
            return false;
        }
        return true;
    }

    /** The running poll is done; true when another was asked for meanwhile. */
    boolean finish() {
        running.set(false);
        boolean more = again;
        again = false;
        return more;
    }
}
