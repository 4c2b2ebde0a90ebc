package io.wafleet.sink;

import io.wafleet.avro.ServerMetrics;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** wa.server-metrics into server_metrics: one row per window, whatever event id it was emitted under. */
final class ServerMetricsWriter extends RowWriter<ServerMetrics> {

    ServerMetricsWriter() {
        super("INSERT INTO server_metrics (event_id, metrics_key, scope, server_id, environment, location,"
                + " window_size_seconds, window_start, window_end, count, failures, error_rate, min_micros,"
                + " avg_micros, p50_micros, p95_micros, p99_micros, max_micros)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    }

    @Override
    void bind(PreparedStatement statement, ServerMetrics metrics) throws SQLException {
        statement.setString(1, metrics.getEventId());
        statement.setString(2, metrics.getKey());
        Sql.lower(statement, 3, metrics.getScope());
        statement.setString(4, metrics.getServerId());
        statement.setString(5, metrics.getEnvironment());
        statement.setString(6, metrics.getLocation());
        statement.setInt(7, metrics.getWindowSizeSeconds());
        Sql.timestamp(statement, 8, metrics.getWindowStart());
        Sql.timestamp(statement, 9, metrics.getWindowEnd());
        statement.setLong(10, metrics.getCount());
        statement.setLong(11, metrics.getFailures());
        statement.setDouble(12, metrics.getErrorRate());
        Sql.nullableDouble(statement, 13, metrics.getMinMicros());
        Sql.nullableDouble(statement, 14, metrics.getAvgMicros());
        Sql.nullableDouble(statement, 15, metrics.getP50Micros());
        Sql.nullableDouble(statement, 16, metrics.getP95Micros());
        Sql.nullableDouble(statement, 17, metrics.getP99Micros());
        Sql.nullableDouble(statement, 18, metrics.getMaxMicros());
    }
}
