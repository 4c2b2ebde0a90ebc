package io.wafleet.router.messages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * An account's latest messages from the audit ({@code message_status}, written by the sink from wa.message-events),
 * whichever router sent them: for the API and the dashboard's account view.
 */
public final class RecentMessages {

    private static final String QUERY = "SELECT message_id, server_id, status, failure, reason, server_message_id,"
            + " recipient, posted_at, updated_at, ms_to_sent FROM message_status WHERE account_id = ?"
            + " ORDER BY posted_at DESC LIMIT ?";

    private static final String BY_SERVER = "SELECT coalesce(server_id, '') AS server_id,"
            + " count(*) FILTER (WHERE status = 'queued') AS queued, count(*) FILTER (WHERE status = 'sent') AS sent,"
            + " count(*) FILTER (WHERE status = 'failed') AS failed,"
            + " count(*) FILTER (WHERE status = 'delivered') AS delivered, count(*) FILTER (WHERE status = 'read') AS read,"
            + " count(*) FILTER (WHERE status = 'sent' AND occurred_at > now() - interval '1 minute') AS sent_1m"
            + " FROM message_events WHERE occurred_at > now() - interval '1 hour' GROUP BY 1 ORDER BY 1";

    private static final String FAILURES = "SELECT failure, count(*) AS count FROM message_events"
            + " WHERE status = 'failed' AND occurred_at > now() - interval '1 hour' GROUP BY failure ORDER BY 2 DESC";

    private final DataSource dataSource;

    /** @param dataSource the audit database, or null when the router has none */
    public RecentMessages(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The account's {@code limit} latest messages, newest first, each with its latest step. */
    public List<Map<String, Object>> of(String accountId, int limit) throws SQLException {
        if (dataSource == null) {
            throw new SQLException("the router has no database configured (spring.datasource.url)", "08001");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, accountId);
            statement.setInt(2, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("messageId", result.getString("message_id"));
                    row.put("serverId", result.getString("server_id"));
                    row.put("status", result.getString("status").toUpperCase(java.util.Locale.ROOT));
                    String failure = result.getString("failure");
                    row.put("failure", failure == null ? null : failure.toUpperCase(java.util.Locale.ROOT));
                    row.put("reason", result.getString("reason"));
                    row.put("serverMessageId", result.getString("server_message_id"));
                    row.put("recipient", result.getString("recipient"));
                    row.put("postedAt", instant(result.getTimestamp("posted_at")));
                    row.put("updatedAt", instant(result.getTimestamp("updated_at")));
                    double toSent = result.getDouble("ms_to_sent");
                    row.put("msToSent", result.wasNull() ? null : Math.round(toSent));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** The last hour's message steps per server (and the sends of the last minute), and its failures by class. */
    public Map<String, Object> summary() throws SQLException {
        if (dataSource == null) {
            throw new SQLException("the router has no database configured (spring.datasource.url)", "08001");
        }
        List<Map<String, Object>> servers = new ArrayList<>();
        List<Map<String, Object>> failures = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(BY_SERVER);
                    ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    String server = result.getString("server_id");
                    row.put("serverId", server.isEmpty() ? null : server);
                    for (String column : List.of("queued", "sent", "failed", "delivered", "read")) {
                        row.put(column, result.getLong(column));
                    }
                    row.put("sentLastMinute", result.getLong("sent_1m"));
                    servers.add(row);
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(FAILURES);
                    ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    String failure = result.getString("failure");
                    failures.add(Map.of(
                            "failure",
                            failure == null ? "UNKNOWN" : failure.toUpperCase(java.util.Locale.ROOT),
                            "count",
                            result.getLong("count")));
                }
            }
        }
        return Map.of("window", "1h", "servers", servers, "failures", failures);
    }

    private static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }
}
