package io.wafleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Flyway migrations on a real PostgreSQL: tables, both seed views, idempotent inserts and daily partitions. */
@WafleetIntegrationTest
class MigrationsTest {

    private DataSource dataSource;

    @BeforeEach
    void migrateAFreshDatabase(PostgresDatabase server) {
        dataSource = server.createFreshDatabase("migrations").dataSource();
        Flyway.configure().dataSource(dataSource).load().migrate();
    }

    @Test
    void createsTheSeedsTablesAndViewsAndTheTimeSeries() throws SQLException {
        List<String> tables = column("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%\\_p%'"
                + " AND table_name NOT LIKE '%\\_default' AND table_name NOT LIKE 'flyway%' ORDER BY 1");
        List<String> views =
                column("SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1");

        assertThat(tables)
                .contains(
                        "server_configs",
                        "server_stats",
                        "server_connections",
                        "server_events",
                        "server_lb_rules",
                        "server_metrics",
                        "health_checks",
                        "connection_events",
                        "operations",
                        "server_health",
                        "message_events");
        assertThat(views).containsExactly("message_status", "server_capacity_overview", "server_health_status");
    }

    @Test
    void serverHealthStatusTakesTheAggregatorsStatusAndShowsTheLatestCheckStatsAndWindow() throws SQLException {
        server("s-healthy", true, 30000);
        server("s-down", true, 30000);
        server("s-off", false, 30000);
        server("s-never", true, 30000);
        server("s-degraded", true, 30000);
        server("s-draining", true, 30000);
        // The latest single check of s-healthy failed, but one failure is below fall: the aggregator says healthy.
        check("c1", "s-healthy", "now() - interval '20 seconds'", true);
        check("c2", "s-healthy", "now() - interval '5 seconds'", false);
        check("c3", "s-down", "now() - interval '5 seconds'", true);
        health("s-healthy", "healthy", "1 consecutive failed check", 0);
        health("s-down", "unhealthy", "3 consecutive failed checks, last TIMEOUT", 0);
        health("s-off", "disabled", "disabled in its config", 0);
        health("s-degraded", "degraded", "the server reports degraded", 0);
        health("s-draining", "draining", "draining: its accounts are being moved off", 0);
        execute("UPDATE server_configs SET draining = true WHERE id = 's-draining'");
        stats("st1", "s-healthy", "now() - interval '5 seconds'", 45.2, 450, true);
        execute("INSERT INTO server_metrics (event_id, metrics_key, scope, server_id, window_size_seconds,"
                + " window_start, window_end, count, failures, error_rate, p95_micros, p99_micros)"
                + " VALUES ('m1', 's-healthy', 'server', 's-healthy', 300, now() - interval '10 minutes',"
                + " now() - interval '5 minutes', 10, 1, 0.1, 300000, 500000)");

        Map<String, Map<String, Object>> rows = rowsById("SELECT * FROM server_health_status", "server_id");

        assertThat(rows.get("s-healthy"))
                .containsEntry("health_status", "healthy")
                .containsEntry("health_reason", "1 consecutive failed check")
                .containsEntry("last_check_success", false)
                .containsEntry("cpu", 45.2)
                .containsEntry("total_users", 450)
                .containsEntry("server_version", "1.2.3")
                .containsEntry("consecutive_failures", 1);
        assertThat(((Number) rows.get("s-healthy").get("window_p95_ms")).doubleValue())
                .isEqualTo(300.0);
        assertThat(((Number) rows.get("s-healthy").get("window_p99_ms")).doubleValue())
                .isEqualTo(500.0);
        assertThat(rows.get("s-down"))
                .containsEntry("health_status", "unhealthy")
                .containsEntry("last_check_success", true);
        assertThat(rows.get("s-off")).containsEntry("health_status", "disabled");
        assertThat(rows.get("s-never"))
                .containsEntry("health_status", "unknown")
                .containsEntry("health_reason", null);
        assertThat(rows.get("s-degraded")).containsEntry("health_status", "degraded");
        assertThat(rows.get("s-draining"))
                .containsEntry("health_status", "draining")
                .containsEntry("draining", true);
        assertThat(rows.get("s-healthy")).containsEntry("draining", false);
    }

    @Test
    void serverCapacityOverviewCountsLoadAsTheRouterDoesReportedPlusInProgress() throws SQLException {
        server("s-1", true, 30000); // 20 instances x 100 users
        server("s-2", true, 30000);
        for (String[] account : new String[][] {
            {"a1", "s-1", "connected"}, {"a2", "s-1", "connected"}, {"a3", "s-1", "connected"},
            {"a4", "s-1", "qr_required"}, {"a5", "s-1", "disconnected"}, {"a6", "s-2", "failed"},
            {"a7", "s-1", "migrating"}
        }) {
            execute(String.format(
                    "INSERT INTO server_connections (account_id, server_id, state, last_event_id,"
                            + " updated_at) VALUES ('%s', '%s', '%s', 'e-%s', now())",
                    account[0], account[1], account[2], account[0]));
        }
        // The server itself reports 5 connected (two of them connected before wafleet knew of them).
        health("s-1", "healthy", "2 consecutive successful checks", 5);
        stats("st1", "s-1", "now()", 10.0, 3, true);

        Map<String, Map<String, Object>> rows = rowsById("SELECT * FROM server_capacity_overview", "server_id");

        assertThat(rows.get("s-1"))
                .containsEntry("capacity", 2000)
                .containsEntry("connected_accounts", 5L)
                .containsEntry("pending_accounts", 2L)
                .containsEntry("available_capacity", 1993L)
                .containsEntry("registry_connected_accounts", 3L)
                .containsEntry("reported_users", 3);
        assertThat(((Number) rows.get("s-1").get("utilization_pct")).doubleValue())
                .isEqualTo(0.35);
        assertThat(rows.get("s-2")).containsEntry("connected_accounts", 0L).containsEntry("available_capacity", 2000L);
    }

    @Test
    void anEventWrittenTwiceIsStoredOnce() throws SQLException {
        check("same-event", "s-1", "timestamptz '2030-01-01 00:00:00+00'", true);
        check("same-event", "s-1", "timestamptz '2030-01-01 00:00:00+00'", true);

        assertThat(column("SELECT event_id FROM health_checks")).containsExactly("same-event");
    }

    @Test
    void daysGetTheirOwnPartitionsRowsInTheDefaultAreMovedAndOldDaysAreDropped() throws SQLException {
        LocalDate future = LocalDate.now(ZoneOffset.UTC).plusDays(40);
        String at = "timestamptz '" + future + " 12:00:00+00'";
        check("early", "s-1", at, true);
        assertThat(column("SELECT tableoid::regclass::text FROM health_checks"))
                .containsExactly("health_checks_default");

        Integer created = single("SELECT wafleet_ensure_partitions(date '" + future + "', date '" + future + "')");
        String partition = "health_checks_p" + future.toString().replace("-", "");

        assertThat(created).isEqualTo(6); // one per time series
        assertThat(column("SELECT tableoid::regclass::text FROM health_checks")).containsExactly(partition);
        assertThat(single("SELECT wafleet_ensure_partitions(date '" + future + "', date '" + future + "')"))
                .isZero();

        Integer dropped = single("SELECT wafleet_drop_partitions_before(date '" + future.plusDays(1) + "')");

        assertThat(dropped).isGreaterThanOrEqualTo(6);
        assertThat(column("SELECT event_id FROM health_checks")).isEmpty();
        assertThat(column("SELECT to_regclass('" + partition + "')::text")).containsOnlyNulls();
    }

    private void server(String id, boolean enabled, int intervalMs) throws SQLException {
        execute(String.format(
                "INSERT INTO server_configs (id, name, hostname, port, environment, location, max_instances,"
                        + " max_users_per_instance, is_enabled, health_check_interval) VALUES ('%s', '%s', '%s.local', 3001,"
                        + " 'production', 'US-East', 20, 100, %s, %d)",
                id, "WA-" + id, id, enabled, intervalMs));
    }

    /** A row as the sink writes it from wa.server-health. */
    private void health(String serverId, String status, String reason, int connected) throws SQLException {
        int failures = reason.startsWith("1 consecutive failed") ? 1 : 0;
        execute(String.format(
                "INSERT INTO server_health (server_id, name, status, reason, status_since, updated_at,"
                        + " consecutive_successes, consecutive_failures, environment, capacity, connected_accounts,"
                        + " connecting_accounts, utilization) VALUES ('%s', '%s', '%s', '%s', now(), now(), 0, %d,"
                        + " 'production', 2000, %d, 0, %s)",
                serverId, "WA-" + serverId, status, reason, failures, connected, connected / 2000.0));
    }

    private void check(String eventId, String serverId, String at, boolean success) throws SQLException {
        execute(String.format(
                "INSERT INTO health_checks (event_id, server_id, probe_id, source, checked_at, latency_micros,"
                        + " success, error_kind, report) VALUES ('%s', '%s', 'probe', 'active', %s, 1500, %s, %s,"
                        + " '{\"status\": \"healthy\", \"version\": \"1.2.3\"}') ON CONFLICT DO NOTHING",
                eventId, serverId, at, success, success ? "NULL" : "'timeout'"));
    }

    private void stats(String eventId, String serverId, String at, double cpu, int users, boolean healthy)
            throws SQLException {
        execute(String.format(
                "INSERT INTO server_stats (event_id, server_id, recorded_at, cpu, total_users,"
                        + " is_healthy) VALUES ('%s', '%s', %s, %s, %d, %s)",
                eventId, serverId, at, cpu, users, healthy));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Integer single(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }

    private List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }

    private Map<String, Map<String, Object>> rowsById(String sql, String idColumn) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.put(result.getString(idColumn), row);
            }
        }
        return rows;
    }
}
