package io.wafleet.sink;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * A task run at start and then every {@code interval} on a daemon thread of its own, started and stopped with the
 * application: the sink's housekeeping (partition maintenance, the CDC slot's WAL).
 */
abstract class Periodic implements SmartLifecycle {

    private final String threadName;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    Periodic(String threadName, Duration interval) {
        this.threadName = threadName;
        this.interval = interval;
    }

    /** One run; it logs and swallows its own failures, so that the next run comes. */
    abstract void run();

    @Override
    public final synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::run, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public final synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public final synchronized boolean isRunning() {
        return scheduler != null;
    }
}
