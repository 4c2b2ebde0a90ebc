package io.wafleet.router.operations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operations' views in PostgreSQL's {@code operations} table: the router instance that runs an operation writes its
 * view, any instance reads it. A finished view is never overwritten by a running one.
 */
public final class OperationStore {

    private static final String UPSERT = "INSERT INTO operations"
            + " (operation_id, kind, requested_by, status, router, started_at, finished_at, updated_at, view)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, now(), ?::json)"
            + " ON CONFLICT (operation_id) DO UPDATE SET status = excluded.status,"
            + " finished_at = excluded.finished_at, updated_at = now(), view = excluded.view"
            + " WHERE operations.status <> 'finished'";

    private final DataSource dataSource;
    private final JsonMapper json;
    private final String routerId;

    public OperationStore(DataSource dataSource, JsonMapper json, String routerId) {
        this.dataSource = dataSource;
        this.json = json;
        this.routerId = routerId;
    }

    /** Writes the operation's view as it is now. */
    void save(Operation operation) throws SQLException {
        Map<String, Object> view = operation.view();
        Object finishedAt = view.get("finishedAt");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, operation.id());
            upsert.setString(2, operation.kind());
            upsert.setString(3, operation.requestedBy());
            upsert.setString(4, (String) view.get("status"));
            upsert.setString(5, routerId);
            upsert.setTimestamp(6, Timestamp.from(Instant.parse((String) view.get("startedAt"))));
            upsert.setTimestamp(7, finishedAt == null ? null : Timestamp.from(Instant.parse((String) finishedAt)));
            upsert.setString(8, json.writeValueAsString(view));
            upsert.executeUpdate();
        }
    }

    /** The last view written of the operation, or null when there is none. */
    @SuppressWarnings("unchecked")
    Map<String, Object> find(String operationId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query =
                        connection.prepareStatement("SELECT view FROM operations WHERE operation_id = ?")) {
            query.setString(1, operationId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? json.readValue(row.getString(1), Map.class) : null;
            }
        }
    }
}
