package io.wafleet.router.operations;

import io.wafleet.schemas.DaemonThreads;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations this instance runs and their views: the last 100 kept here, and with a database written to its
 * {@code operations} table when they start, every second while they run and when they end, so that any instance
 * answers for any operation.
 */
final class OperationViews {

    private static final Logger LOG = LoggerFactory.getLogger(OperationViews.class);
    private static final int OPERATIONS_KEPT = 100;
    private static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration WARN_AT_MOST_EVERY = Duration.ofMinutes(1);

    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    /** Where the views go for other instances to read; null without a database (then each instance knows its own). */
    private final OperationStore store;
    /** Writes running views every second and finished ones as they end (a finished view is never overwritten). */
    private final ScheduledExecutorService saver;

    private volatile Instant lastWarning = Instant.EPOCH;

    OperationViews(OperationStore store) {
        this.store = store;
        if (store == null) {
            saver = null;
        } else {
            saver = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("operations-saver"));
            saver.scheduleWithFixedDelay(
                    this::saveRunning, SAVE_INTERVAL.toMillis(), SAVE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The view of an operation: of this instance's own (the last 100 are kept) as it is now, else as the instance
     * running it last wrote it (at most a second old while it runs); null when no instance knows it.
     */
    Map<String, Object> view(String id) {
        Operation own = operations.get(id);
        if (own != null) {
            return own.view();
        }
        if (store == null) {
            return null;
        }
        try {
            return store.find(id);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read operation " + id + " from the database: " + e.getMessage(), e);
        }
    }

    /** Stops writing views (Spring calls it when the router stops). */
    void close() {
        if (saver != null) {
            saver.shutdown();
        }
    }

    private void saveRunning() {
        operations.values().stream()
                .filter(operation -> !operation.finished().isDone())
                .forEach(this::save);
    }

    private void save(Operation operation) {
        try {
            store.save(operation);
        } catch (SQLException | RuntimeException e) {
            // The operation goes on and this instance still answers for it; other instances see it once writes work.
            Instant now = Instant.now();
            if (Duration.between(lastWarning, now).compareTo(WARN_AT_MOST_EVERY) >= 0) {
                lastWarning = now;
                LOG.warn("cannot write operation {} to the database: {}", operation.id(), e.getMessage());
            }
        }
    }

    /** A new operation of this instance, kept (the last 100) and, with a database, written at once. */
    Operation start(
            String kind,
            String actor,
            int total,
            Map<String, Object> scope,
            java.util.function.Supplier<Map<String, Object>> live) {
        Operation operation = new Operation(UUID.randomUUID().toString(), kind, actor, total, scope, live);
        operations.put(operation.id(), operation);
        if (saver != null) {
            // Written before the caller answers, so the Location it hands out works on every instance at once.
            save(operation);
            operation.finished().thenRunAsync(() -> save(operation), saver);
        }
        if (operations.size() > OPERATIONS_KEPT) {
            operations.values().stream()
                    .filter(old -> old.finished().isDone())
                    .findFirst()
                    .ifPresent(old -> operations.remove(old.id()));
        }
        return operation;
    }
}
