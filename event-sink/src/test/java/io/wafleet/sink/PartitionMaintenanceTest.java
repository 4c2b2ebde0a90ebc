package io.wafleet.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** Retention: days past it are dropped, days ahead are created. */
@WafleetIntegrationTest
class PartitionMaintenanceTest {

    @Test
    void dropsDaysPastRetentionAndCreatesDaysAhead(PostgresDatabase server) throws Exception {
        DataSource dataSource = server.createFreshDatabase("retention").dataSource();
        Flyway.configure().dataSource(dataSource).load().migrate();
        LocalDate today = LocalDate.of(2031, 3, 10);
        try (Connection connection = dataSource.getConnection()) {
            connection
                    .createStatement()
                    .execute("SELECT wafleet_ensure_partitions(date '2031-02-01', date '2031-02-03')");
            connection
                    .createStatement()
                    .execute("INSERT INTO server_events (event_id, level, type, message,"
                            + " occurred_at, source) VALUES ('old', 'info', 'T', 'm', '2031-02-02 10:00:00+00', 'test'),"
                            + " ('older-in-default', 'info', 'T', 'm', '2030-12-01 10:00:00+00', 'test')");
        }
        SinkProperties properties = new SinkProperties(null, 0, null, null, null, 30, null, 3, 1);

        new PartitionMaintenance(
                        dataSource,
                        Clock.fixed(today.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC),
                        properties)
                .run();

        List<String> partitions = partitions(dataSource);
        assertThat(partitions).doesNotContain("server_events_p20310201", "server_events_p20310203");
        assertThat(partitions)
                .contains("server_events_p20310309", "server_events_p20310310", "server_events_p20310313");
        try (Connection connection = dataSource.getConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM server_events")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
    }

    private static List<String> partitions(DataSource dataSource) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                                + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'server_events'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
