package io.wafleet.sink;

import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;

/**
 * wa.server-health into server_health: one row per server as the aggregator last published it, upserted in the
 * record's own time order (an older record, replayed or read again after a rebalance, never overwrites a newer
 * one); a tombstone deletes the row unless a newer record is there.
 */
final class ServerHealthWriter {

    /** The latest record of one server in a batch: its health, or null for a tombstone at {@code at}. */
    record Change(String serverId, ServerHealth health, Instant at) {}

    private static final String UPSERT = "INSERT INTO server_health AS h (server_id, name, status, previous_status,"
            + " reason, status_since, updated_at, last_check_at, last_success_at, last_failure_at,"
            + " consecutive_successes, consecutive_failures, last_error_kind, last_latency_micros, environment,"
            + " location, capacity, connected_accounts, connecting_accounts, utilization, version, reported_status,"
            + " window_1m_start, p95_1m_micros, p99_1m_micros, error_rate_1m, window_5m_start, p95_5m_micros,"
            + " p99_5m_micros, error_rate_5m)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (server_id) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status,"
            + " previous_status = EXCLUDED.previous_status, reason = EXCLUDED.reason,"
            + " status_since = EXCLUDED.status_since, updated_at = EXCLUDED.updated_at,"
            + " last_check_at = EXCLUDED.last_check_at, last_success_at = EXCLUDED.last_success_at,"
            + " last_failure_at = EXCLUDED.last_failure_at, consecutive_successes = EXCLUDED.consecutive_successes,"
            + " consecutive_failures = EXCLUDED.consecutive_failures, last_error_kind = EXCLUDED.last_error_kind,"
            + " last_latency_micros = EXCLUDED.last_latency_micros, environment = EXCLUDED.environment,"
            + " location = EXCLUDED.location, capacity = EXCLUDED.capacity,"
            + " connected_accounts = EXCLUDED.connected_accounts, connecting_accounts = EXCLUDED.connecting_accounts,"
            + " utilization = EXCLUDED.utilization, version = EXCLUDED.version,"
            + " reported_status = EXCLUDED.reported_status, window_1m_start = EXCLUDED.window_1m_start,"
            + " p95_1m_micros = EXCLUDED.p95_1m_micros, p99_1m_micros = EXCLUDED.p99_1m_micros,"
            + " error_rate_1m = EXCLUDED.error_rate_1m, window_5m_start = EXCLUDED.window_5m_start,"
            + " p95_5m_micros = EXCLUDED.p95_5m_micros, p99_5m_micros = EXCLUDED.p99_5m_micros,"
            + " error_rate_5m = EXCLUDED.error_rate_5m"
            + " WHERE h.updated_at <= EXCLUDED.updated_at";

    private static final String DELETE = "DELETE FROM server_health WHERE server_id = ? AND updated_at <= ?";

    /** Writes each server's latest change; the batch holds at most one per server, as one statement needs. */
    void write(Connection connection, Collection<Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT);
                PreparedStatement delete = connection.prepareStatement(DELETE)) {
            for (Change change : changes) {
                if (change.health() == null) {
                    delete.setString(1, change.serverId());
                    Sql.timestamp(delete, 2, change.at());
                    delete.addBatch();
                } else {
                    bind(upsert, change.health());
                    upsert.addBatch();
                }
            }
            upsert.executeBatch();
            delete.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, ServerHealth health) throws SQLException {
        statement.setString(1, health.getServerId());
        statement.setString(2, health.getName());
        Sql.lower(statement, 3, health.getStatus());
        Sql.lower(statement, 4, health.getPreviousStatus());
        statement.setString(5, health.getReason());
        Sql.timestamp(statement, 6, health.getStatusSince());
        Sql.timestamp(statement, 7, health.getUpdatedAt());
        Sql.timestamp(statement, 8, health.getLastCheckAt());
        Sql.timestamp(statement, 9, health.getLastSuccessAt());
        Sql.timestamp(statement, 10, health.getLastFailureAt());
        statement.setInt(11, health.getConsecutiveSuccesses());
        statement.setInt(12, health.getConsecutiveFailures());
        Sql.lower(statement, 13, health.getLastErrorKind());
        Sql.nullableLong(statement, 14, health.getLastLatencyMicros());
        statement.setString(15, health.getEnvironment());
        statement.setString(16, health.getLocation());
        statement.setInt(17, health.getCapacity());
        statement.setInt(18, health.getConnectedAccounts());
        statement.setInt(19, health.getConnectingAccounts());
        statement.setDouble(20, health.getUtilization());
        statement.setString(21, health.getVersion());
        statement.setString(22, health.getReportedStatus());
        window(statement, 23, health.getMetrics1m());
        window(statement, 27, health.getMetrics5m());
    }

    private static void window(PreparedStatement statement, int index, ServerMetrics window) throws SQLException {
        Sql.timestamp(statement, index, window == null ? null : window.getWindowStart());
        Sql.nullableDouble(statement, index + 1, window == null ? null : window.getP95Micros());
        Sql.nullableDouble(statement, index + 2, window == null ? null : window.getP99Micros());
        Sql.nullableDouble(statement, index + 3, window == null ? null : window.getErrorRate());
    }
}
