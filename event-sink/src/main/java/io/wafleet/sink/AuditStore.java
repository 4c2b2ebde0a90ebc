package io.wafleet.sink;

import io.wafleet.schemas.DaemonThreads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/** Writes a batch into the audit tables in one transaction, creating the daily partitions its rows need. */
final class AuditStore {

    private final DataSource dataSource;
    private final HealthCheckWriter healthChecks = new HealthCheckWriter();
    private final ServerStatsWriter serverStats = new ServerStatsWriter();
    private final ServerMetricsWriter serverMetrics = new ServerMetricsWriter();
    private final ServerEventWriter serverEvents = new ServerEventWriter();
    private final ConnectionEventWriter connectionEvents = new ConnectionEventWriter();
    private final MessageEventWriter messageEvents = new MessageEventWriter();
    private final ServerHealthWriter serverHealth = new ServerHealthWriter();
    private final Set<LocalDate> daysWithPartitions = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final int retentionDays;

    private final ExecutorService writers;
    private final int parallelism;

    /**
     * @param parallelism transactions a batch is written in at once; PostgreSQL runs each on its own backend, so a
     *     batch is no longer bound by one core of the database
     */
    AuditStore(DataSource dataSource, Clock clock, int retentionDays, int parallelism) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.parallelism = parallelism;
        this.writers = Executors.newFixedThreadPool(parallelism, DaemonThreads.named("audit-writer"));
    }

    /**
     * Writes the batch in {@code parallelism} transactions at once. When one fails the batch is written again as a
     * whole: rows that did commit are skipped by their event ids.
     */
    void write(AuditBatch batch) throws SQLException {
        if (parallelism == 1 || batch.rows() < 2 * parallelism) {
            writeOne(batch);
            return;
        }
        List<Future<?>> parts = new ArrayList<>();
        for (AuditBatch part : batch.split(parallelism)) {
            parts.add(writers.submit(() -> {
                writeOne(part);
                return null;
            }));
        }
        SQLException failure = null;
        for (Future<?> part : parts) {
            try {
                part.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while writing", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void writeOne(AuditBatch batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<LocalDate> created = ensurePartitions(connection, batch.days);
                healthChecks.write(connection, batch.healthChecks);
                serverStats.write(connection, batch.serverStats);
                serverMetrics.write(connection, batch.serverMetrics);
                serverEvents.write(connection, batch.serverEvents);
                messageEvents.write(connection, batch.messageEvents);
                connectionEvents.write(connection, batch.connectionEvents);
                serverHealth.write(connection, batch.serverHealth.values());
                connection.commit();
                daysWithPartitions.addAll(created);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    /** Days before retention get no partition: their rows go to the default partition, which retention empties. */
    private List<LocalDate> ensurePartitions(Connection connection, Set<LocalDate> days) throws SQLException {
        LocalDate oldestKept = LocalDate.now(clock).minusDays(retentionDays);
        List<LocalDate> created = new ArrayList<>();
        for (LocalDate day : days) {
            if (day.isBefore(oldestKept) || daysWithPartitions.contains(day)) {
                continue;
            }
            try (PreparedStatement ensure = connection.prepareStatement("SELECT wafleet_ensure_partitions(?, ?)")) {
                ensure.setObject(1, day);
                ensure.setObject(2, day);
                ensure.execute();
            }
            created.add(day);
        }
        return created;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the transaction is gone with it.
        }
    }
}
