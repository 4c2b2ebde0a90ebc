package io.wafleet.sink;

import io.wafleet.avro.ServerEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** wa.server-events into server_events, with the seed's levels in lower case. */
final class ServerEventWriter extends RowWriter<ServerEvent> {

    ServerEventWriter() {
        super("INSERT INTO server_events (event_id, server_id, pool_id, level, type, message, details, occurred_at,"
                + " source, actor) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING");
    }

    @Override
    void bind(PreparedStatement statement, ServerEvent event) throws SQLException {
        statement.setString(1, event.getEventId());
        statement.setString(2, event.getServerId());
        statement.setString(3, event.getPoolId());
        Sql.lower(statement, 4, event.getLevel());
        statement.setString(5, event.getType());
        statement.setString(6, event.getMessage());
        Sql.json(statement, 7, event.getDetails());
        Sql.timestamp(statement, 8, event.getOccurredAt());
        statement.setString(9, event.getSource());
        statement.setString(10, event.getActor());
    }
}
