package io.wafleet.sink;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * wa.connection-events into connection_events (the history) and server_connections (each account's current state;
 * an older event never overwrites a newer one). A QR is kept by its id ({@code qr_id}); only events from before QR
 * ids carry the image ({@code qr_code}).
 */
final class ConnectionEventWriter extends RowWriter<ConnectionEvent> {

    private static final String CURRENT = "INSERT INTO server_connections AS c (account_id, account_name, server_id,"
            + " state, connection_id, qr_code, reason, request_id, last_event_id, updated_at, connected_at,"
            + " disconnected_at, qr_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (account_id) DO UPDATE SET"
            + " account_name = coalesce(EXCLUDED.account_name, c.account_name),"
            + " server_id = coalesce(EXCLUDED.server_id, c.server_id), state = EXCLUDED.state,"
            + " connection_id = coalesce(EXCLUDED.connection_id, c.connection_id), qr_code = EXCLUDED.qr_code,"
            + " qr_id = EXCLUDED.qr_id,"
            + " reason = EXCLUDED.reason, request_id = coalesce(EXCLUDED.request_id, c.request_id),"
            + " last_event_id = EXCLUDED.last_event_id, updated_at = EXCLUDED.updated_at,"
            + " connected_at = coalesce(EXCLUDED.connected_at, c.connected_at),"
            + " disconnected_at = coalesce(EXCLUDED.disconnected_at, c.disconnected_at)"
            + " WHERE c.updated_at <= EXCLUDED.updated_at AND c.last_event_id <> EXCLUDED.last_event_id";

    ConnectionEventWriter() {
        super("INSERT INTO connection_events (event_id, request_id, operation_id, account_id, account_name, server_id,"
                + " state, previous_state, connection_id, qr_code, reason, attempt, occurred_at, requested_by, qr_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    }

    @Override
    void write(Connection connection, List<ConnectionEvent> events) throws SQLException {
        super.write(connection, events);
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement current = connection.prepareStatement(CURRENT)) {
            // In order: events of one account arrive in order (one partition), so the last one wins.
            for (ConnectionEvent event : events) {
                current.setString(1, event.getAccountId());
                current.setString(2, event.getAccountName());
                current.setString(3, event.getServerId());
                Sql.lower(current, 4, event.getState());
                current.setString(5, event.getConnectionId());
                current.setString(6, event.getState() == AccountState.QR_REQUIRED ? event.getQrCode() : null);
                current.setString(7, event.getReason());
                current.setString(8, event.getRequestId());
                current.setString(9, event.getEventId());
                Sql.timestamp(current, 10, event.getOccurredAt());
                Sql.timestamp(current, 11, event.getState() == AccountState.CONNECTED ? event.getOccurredAt() : null);
                Sql.timestamp(
                        current, 12, event.getState() == AccountState.DISCONNECTED ? event.getOccurredAt() : null);
                current.setString(13, event.getState() == AccountState.QR_REQUIRED ? event.getQrId() : null);
                current.executeUpdate();
            }
        }
    }

    @Override
    void bind(PreparedStatement statement, ConnectionEvent event) throws SQLException {
        statement.setString(1, event.getEventId());
        statement.setString(2, event.getRequestId());
        statement.setString(3, event.getOperationId());
        statement.setString(4, event.getAccountId());
        statement.setString(5, event.getAccountName());
        statement.setString(6, event.getServerId());
        Sql.lower(statement, 7, event.getState());
        Sql.lower(statement, 8, event.getPreviousState());
        statement.setString(9, event.getConnectionId());
        statement.setString(10, event.getQrCode());
        statement.setString(11, event.getReason());
        statement.setInt(12, event.getAttempt());
        Sql.timestamp(statement, 13, event.getOccurredAt());
        statement.setString(14, event.getRequestedBy());
        statement.setString(15, event.getQrId());
    }
}
