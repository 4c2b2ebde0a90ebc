package io.wafleet.sink;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** wa.health-checks into health_checks; the parsed health body as jsonb in the seed's /api/health shape. */
final class HealthCheckWriter extends RowWriter<HealthCheck> {

    HealthCheckWriter() {
        super("INSERT INTO health_checks (event_id, server_id, probe_id, source, checked_at, latency_micros, success,"
                + " http_status, error_kind, error_message, attempts, report)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING");
    }

    @Override
    void bind(PreparedStatement statement, HealthCheck check) throws SQLException {
        statement.setString(1, check.getEventId());
        statement.setString(2, check.getServerId());
        statement.setString(3, check.getProbeId());
        Sql.lower(statement, 4, check.getSource());
        Sql.timestamp(statement, 5, check.getCheckedAt());
        statement.setLong(6, check.getLatencyMicros());
        statement.setBoolean(7, check.getSuccess());
        Sql.nullableInt(statement, 8, check.getHttpStatus());
        Sql.lower(statement, 9, check.getErrorKind());
        statement.setString(10, check.getErrorMessage());
        statement.setInt(11, check.getAttempts());
        Sql.json(statement, 12, check.getReport() == null ? null : report(check.getReport()));
    }

    static Map<String, Object> report(HealthReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", report.getStatus());
        json.put(
                "timestamp",
                report.getTimestamp() == null ? null : report.getTimestamp().toString());
        json.put("uptime", report.getUptime());
        json.put("version", report.getVersion());
        if (report.getAccounts() != null) {
            json.put(
                    "accounts",
                    Map.of(
                            "total", report.getAccounts().getTotal(),
                            "connected", report.getAccounts().getConnected(),
                            "connecting", report.getAccounts().getConnecting()));
        }
        if (report.getMemory() != null) {
            json.put(
                    "memory",
                    Map.of(
                            "heapUsed", report.getMemory().getHeapUsed(),
                            "heapTotal", report.getMemory().getHeapTotal(),
                            "rss", report.getMemory().getRss()));
        }
        if (report.getPerformance() != null) {
            json.put(
                    "performance",
                    Map.of(
                            "avgResponseTime", report.getPerformance().getAvgResponseTime(),
                            "p95ResponseTime", report.getPerformance().getP95ResponseTime(),
                            "p99ResponseTime", report.getPerformance().getP99ResponseTime()));
        }
        return json;
    }
}
