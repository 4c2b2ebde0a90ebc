package io.wafleet.sink;

import io.wafleet.avro.MessageEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** wa.message-events into message_events, status and failure in lower case. */
final class MessageEventWriter extends RowWriter<MessageEvent> {

    MessageEventWriter() {
        super("INSERT INTO message_events (event_id, message_id, account_id, server_id, status, failure, reason,"
                + " server_message_id, recipient, posted_at, occurred_at, attempts, metadata)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING");
    }

    @Override
    void bind(PreparedStatement statement, MessageEvent event) throws SQLException {
        statement.setString(1, event.getEventId());
        statement.setString(2, event.getMessageId());
        statement.setString(3, event.getAccountId());
        statement.setString(4, event.getServerId());
        Sql.lower(statement, 5, event.getStatus());
        Sql.lower(statement, 6, event.getFailure());
        statement.setString(7, event.getReason());
        statement.setString(8, event.getServerMessageId());
        statement.setString(9, event.getRecipient());
        Sql.timestamp(statement, 10, event.getPostedAt());
        Sql.timestamp(statement, 11, event.getOccurredAt());
        statement.setInt(12, event.getAttempts());
        Sql.json(statement, 13, event.getMetadata());
    }
}
