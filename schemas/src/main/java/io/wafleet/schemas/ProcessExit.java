package io.wafleet.schemas;

import java.util.function.IntConsumer;

/**
 * How a service that cannot go on ends: the process exits with a status, from a thread of its own (so the shutdown
 * hooks that stop the failed part do not wait for themselves), and its supervisor (compose, Kubernetes, systemd)
 * starts it again. Tests put their own.
 */
public final class ProcessExit {

    private static volatile IntConsumer exit = status -> new Thread(() -> System.exit(status), "wafleet-exit").start();

    private ProcessExit() {}

    /** Ends the process with {@code status} (1: a failure it cannot recover from). */
    public static void now(int status) {
        exit.accept(status);
    }

    /** What {@link #now} does from now on; for tests. */
    public static void replaceWith(IntConsumer exitProcess) {
        exit = exitProcess;
    }
}
