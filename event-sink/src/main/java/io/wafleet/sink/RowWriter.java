package io.wafleet.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes one kind of record into its table as one JDBC batch, idempotently by eventId, inside the caller's
 * transaction.
 *
 * @param <T> the Avro record it writes
 */
abstract class RowWriter<T> {

    private final String sql;

    RowWriter(String sql) {
        this.sql = sql;
    }

    /** Writes the records; the driver rewrites the batch into multi-row inserts (reWriteBatchedInserts). */
    void write(Connection connection, List<T> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T record : records) {
                bind(statement, record);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Sets the statement's parameters from one record. */
    abstract void bind(PreparedStatement statement, T record) throws SQLException;
}
