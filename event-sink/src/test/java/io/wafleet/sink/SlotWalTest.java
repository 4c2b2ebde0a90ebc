package io.wafleet.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The CDC slot's retained WAL, read from a real PostgreSQL: it grows while nobody reads the slot. */
@WafleetIntegrationTest
class SlotWalTest {

    /** 2,000 rows of ~1 KB of random text each: text PostgreSQL cannot compress, so the WAL grows by about as much. */
    private static final String RANDOM_ROWS =
            "INSERT INTO filler (text) SELECT (SELECT string_agg(md5(random()::text || g || s),"
                    + " '') FROM generate_series(1, 32) s) FROM generate_series(1, 2000) g";

    @Test
    void aSlotNobodyReadsHoldsBackMoreWalAsTheDatabaseIsWritten(PostgresDatabase server) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("slot_wal");
        DataSource dataSource = database.dataSource();
        String slot = "slot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SlotWal wal = new SlotWal(dataSource, slot, Duration.ofSeconds(15), meters);

        wal.run();
        assertThat(wal.retainedBytes()).as("no slot yet").isEqualTo(-1);

        execute(dataSource, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        try {
            execute(dataSource, "CREATE TABLE filler (id serial PRIMARY KEY, text text)");
            execute(dataSource, RANDOM_ROWS);
            wal.run();
            long first = wal.retainedBytes();
            assertThat(first).isGreaterThan(1_000_000);

            execute(dataSource, RANDOM_ROWS);
            wal.run();
            assertThat(wal.retainedBytes()).isGreaterThan(first + 1_000_000);
            assertThat(meters.get("wafleet.sink.cdc.slot.retained.wal.bytes")
                            .gauge()
                            .value())
                    .isEqualTo((double) wal.retainedBytes());
            assertThat(meters.get("wafleet.sink.cdc.slot.lost").gauge().value()).isZero();
        } finally {
            execute(dataSource, "SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @Test
    void theDatabaseCapsWhatASlotMayHoldBack(PostgresDatabase server) throws Exception {
        try (Connection connection = server.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW max_slot_wal_keep_size")) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("1GB");
        }
    }

    private static void execute(DataSource dataSource, String sql) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
