package io.wafleet.sink;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much WAL the CDC replication slot holds back: {@code wafleet_sink_cdc_slot_retained_wal_bytes} (the distance
 * from the server's WAL insert position, what has been generated whether or not it is flushed yet, to the slot's
 * restart position) and {@code wafleet_sink_cdc_slot_lost} (1
 * once PostgreSQL gave the slot up because it passed {@code max_slot_wal_keep_size}). A slot that nobody reads (CDC
 * stuck or stopped) makes the first grow until the disk fills; alert on it. Read every {@code interval} on a thread of
 * its own, so a scrape never waits for the database; -1 while the slot does not exist or cannot be read.
 */
final class SlotWal extends Periodic {

    private static final Logger LOG = LoggerFactory.getLogger(SlotWal.class);
    private static final String QUERY =
            "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), restart_lsn)::bigint, wal_status"
                    + " FROM pg_replication_slots WHERE slot_name = ?";

    private final DataSource dataSource;
    private final String slotName;
    private volatile long retained = -1;
    private volatile boolean lost;

    SlotWal(DataSource dataSource, String slotName, Duration interval, MeterRegistry meters) {
        super("cdc-slot-wal", interval);
        this.dataSource = dataSource;
        this.slotName = slotName;
        Gauge.builder("wafleet.sink.cdc.slot.retained.wal.bytes", this, wal -> wal.retained)
                .description("WAL the CDC replication slot holds back, in bytes (-1: no slot)")
                .register(meters);
        Gauge.builder("wafleet.sink.cdc.slot.lost", this, wal -> wal.lost ? 1 : 0)
                .description("1 once PostgreSQL invalidated the CDC slot (max_slot_wal_keep_size passed)")
                .register(meters);
    }

    long retainedBytes() {
        return retained;
    }

    @Override
    void run() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, slotName);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    retained = -1;
                    return;
                }
                long bytes = row.getLong(1);
                retained = row.wasNull() ? -1 : bytes;
                boolean nowLost = "lost".equals(row.getString(2));
                if (nowLost && !lost) {
                    LOG.error(
                            "PostgreSQL gave up the CDC slot {} (max_slot_wal_keep_size passed): drop it and let CDC"
                                    + " take a new snapshot",
                            slotName);
                }
                lost = nowLost;
            }
        } catch (SQLException e) {
            LOG.debug("reading the CDC slot's WAL failed: {}", e.getMessage());
        }
    }
}
