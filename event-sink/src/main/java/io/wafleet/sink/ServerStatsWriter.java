package io.wafleet.sink;

import io.wafleet.avro.ServerStats;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** wa.server-stats into server_stats. */
final class ServerStatsWriter extends RowWriter<ServerStats> {

    ServerStatsWriter() {
        super("INSERT INTO server_stats (event_id, server_id, probe_id, recorded_at, cpu, memory, storage, network,"
                + " active_instances, total_users, messages_per_minute, error_rate, average_response_time,"
                + " p95_response_time, p99_response_time, uptime, is_healthy)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    }

    @Override
    void bind(PreparedStatement statement, ServerStats stats) throws SQLException {
        statement.setString(1, stats.getEventId());
        statement.setString(2, stats.getServerId());
        statement.setString(3, stats.getProbeId());
        Sql.timestamp(statement, 4, stats.getRecordedAt());
        Sql.nullableDouble(statement, 5, stats.getCpu());
        Sql.nullableDouble(statement, 6, stats.getMemory());
        Sql.nullableDouble(statement, 7, stats.getStorage());
        Sql.nullableDouble(statement, 8, stats.getNetwork());
        statement.setInt(9, stats.getActiveInstances());
        statement.setInt(10, stats.getTotalUsers());
        statement.setDouble(11, stats.getMessagesPerMinute());
        statement.setDouble(12, stats.getErrorRate());
        Sql.nullableDouble(statement, 13, stats.getAverageResponseTime());
        Sql.nullableDouble(statement, 14, stats.getP95ResponseTime());
        Sql.nullableDouble(statement, 15, stats.getP99ResponseTime());
        statement.setLong(16, stats.getUptime());
        statement.setBoolean(17, stats.getIsHealthy());
    }
}
