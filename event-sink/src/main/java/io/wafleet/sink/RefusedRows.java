package io.wafleet.sink;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The rows of a batch PostgreSQL refuses for what they hold — a data exception (SQLSTATE class 22: a NUL in a text,
 * a timestamp out of range, a number too large) or an integrity violation (class 23) — found by writing halves of
 * the batch, so one bad row costs about log n writes instead of stalling the audit. Any other failure (the database
 * is away) is thrown, for the sink to retry the whole batch.
 */
final class RefusedRows {

    /** A row PostgreSQL refused, with the record it came from and why. */
    record Refused(ConsumerRecord<byte[], byte[]> source, String reason) {}

    private RefusedRows() {}

    /** True when the failure is the data's: SQLSTATE class 22 or 23 anywhere in the chain. */
    static boolean isRefusal(Throwable failure) {
        return sqlState(failure) != null;
    }

    /** Writes every row it can of a batch whose write was refused; answers the rows refused. */
    static List<Refused> writeAround(AuditStore store, AuditBatch batch, SQLException failure) throws SQLException {
        List<Refused> refused = new ArrayList<>();
        split(store, batch, batch.allRows(), failure, refused);
        return refused;
    }

    private static void split(
            AuditStore store, AuditBatch batch, List<Object> rows, SQLException failure, List<Refused> refused)
            throws SQLException {
        if (rows.size() == 1) {
            refused.add(new Refused(batch.source(rows.get(0)), describe(failure)));
            return;
        }
        int middle = rows.size() / 2;
        for (List<Object> half : List.of(rows.subList(0, middle), rows.subList(middle, rows.size()))) {
            try {
                store.write(batch.subset(half));
            } catch (SQLException e) {
                if (!isRefusal(e)) {
                    throw e;
                }
                split(store, batch, half, e, refused);
            }
        }
    }

    /** "PostgreSQL refused the row: SQLSTATE 22021 invalid byte sequence ...", one line, at most 300 characters. */
    static String describe(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql && sqlState(sql) != null && sql.getNextException() == null) {
                String message =
                        String.valueOf(sql.getMessage()).lines().findFirst().orElse("");
                String reason = "PostgreSQL refused the row: SQLSTATE " + sql.getSQLState() + " " + message;
                return reason.length() > 300 ? reason.substring(0, 300) : reason;
            }
        }
        return "PostgreSQL refused the row: SQLSTATE " + sqlState(failure);
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static Throwable next(Throwable cause) {
        if (cause instanceof SQLException sql && sql.getNextException() != null) {
            return sql.getNextException();
        }
        return cause.getCause() == cause ? null : cause.getCause();
    }
}
