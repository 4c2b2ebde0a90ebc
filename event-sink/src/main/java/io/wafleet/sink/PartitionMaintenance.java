package io.wafleet.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the time series' daily partitions: creates the days ahead, drops those past retention. Runs at start (after
 * the migrations) and then every {@code maintenanceInterval}.
 */
final class PartitionMaintenance extends Periodic {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenance.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final SinkProperties properties;

    PartitionMaintenance(DataSource dataSource, Clock clock, SinkProperties properties) {
        super("partition-maintenance", properties.maintenanceInterval());
        this.dataSource = dataSource;
        this.clock = clock;
        this.properties = properties;
    }

    /** Creates yesterday to {@code partitionDaysAhead} days ahead and drops days older than the retention. */
    @Override
    void run() {
        LocalDate today = LocalDate.now(clock);
        try (Connection connection = dataSource.getConnection()) {
            int created = call(
                    connection,
                    "SELECT wafleet_ensure_partitions(?, ?)",
                    today.minusDays(1),
                    today.plusDays(properties.partitionDaysAhead()));
            int dropped = call(
                    connection,
                    "SELECT wafleet_drop_partitions_before(?)",
                    today.minusDays(properties.retentionDays()),
                    null);
            LOG.info(
                    "partitions: {} created, {} dropped (retention {} days)",
                    created,
                    dropped,
                    properties.retentionDays());
        } catch (SQLException e) {
            LOG.warn("partition maintenance failed, will try again: {}", e.getMessage());
        }
    }

    private static int call(Connection connection, String sql, LocalDate first, LocalDate second) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, first);
            if (second != null) {
                statement.setObject(2, second);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }
}
