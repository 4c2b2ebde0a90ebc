package io.wafleet.service;

import java.util.function.IntConsumer;

/**
 * How a service that cannot go on ends: the process exits with a status, from a thread of its own (so the shutdown
 * hooks that stop the failed part do not wait for themselves), and its supervisor (compose, Kubernetes, systemd)
 * starts it again. Before it exits, the service's liveness turns DOWN ({@link #beforeExit}), so a probe that looks in
 * the meantime sees it failed. Tests put their own exit.
 */
public final class ProcessExit {

    private static volatile IntConsumer exit = status -> new Thread(() -> System.exit(status), "wafleet-exit").start();
    private static volatile Runnable before = () -> {};

    private ProcessExit() {}

    /** Ends the process with {@code status} (1: a failure it cannot recover from). */
    public static void now(int status) {
        try {
            before.run();
        } finally {
            exit.accept(status);
        }
    }

    /** Runs {@code action} first whenever the process is made to exit: e.g. turning liveness DOWN. */
    public static void beforeExit(Runnable action) {
        before = action;
    }

    /** What {@link #now} does from now on; for tests. */
    public static void replaceWith(IntConsumer exitProcess) {
        exit = exitProcess;
    }
}
