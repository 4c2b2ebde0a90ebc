package io.wafleet.router.admin;

import io.wafleet.schemas.ApiKeyCipher;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The SQL of one server_configs row: its columns, and inserting, updating and reading a form's row. */
final class ServerRows {

    static final String COLUMNS = "name, hostname, ip_address, port, protocol, base_path, dialect, environment,"
            + " location, connection_timeout, request_timeout, max_retries, health_check_interval,"
            + " health_check_endpoint, max_instances, max_users_per_instance, messaging_rate_limit, is_enabled,"
            + " priority, weight, tags, ssl_verify, allowed_ips, api_key_ciphertext, rise, fall, trusted_network";

    private ServerRows() {}

    /** The row's id, origin and key, locked for this transaction; null when there is none. */
    static Stored stored(Connection connection, String column, String value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id, protocol, hostname, port,"
                + " api_key_ciphertext FROM server_configs WHERE " + column + " = ? FOR UPDATE")) {
            query.setString(1, value);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                String id = row.getString("id");
                return new Stored(
                        id,
                        new ServerKeys.Stored(
                                ApiKeyCipher.Binding.of(
                                        id, row.getString("protocol"), row.getString("hostname"), row.getInt("port")),
                                row.getString("api_key_ciphertext")));
            }
        }
    }

    /** A row as it is: its id and what its key is bound to. */
    record Stored(String id, ServerKeys.Stored key) {}

    /** Inserts the row with this id, or (upsert) updates the row of the same name; the row's id. */
    static String insert(Connection connection, String id, ServerForm server, String ciphertext, boolean upsert)
            throws SQLException {
        String sql = "INSERT INTO server_configs (id, " + COLUMNS + ", created_by, updated_by) VALUES (?, "
                + eachColumn(name -> "?") + ", ?, ?)"
                + (upsert
                        ? " ON CONFLICT (name) DO UPDATE SET (" + COLUMNS + ", version, updated_at, updated_by) = ("
                                + eachColumn(name -> "EXCLUDED." + name)
                                + ", server_configs.version + 1, now(), EXCLUDED.updated_by)"
                        : "")
                + " RETURNING id";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            int next = bind(connection, statement, 2, server, ciphertext);
            statement.setString(next, server.actor());
            statement.setString(next + 1, server.actor());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** Replaces every field of the row; false when there is no such row. */
    static boolean update(Connection connection, String id, ServerForm server, String ciphertext) throws SQLException {
        String sql = "UPDATE server_configs SET " + eachColumn(name -> name + " = ?")
                + ", version = version + 1, updated_at = now(), updated_by = ? WHERE id = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bind(connection, statement, 1, server, ciphertext);
            statement.setString(next, server.actor());
            statement.setString(next + 1, id);
            return statement.executeUpdate() == 1;
        }
    }

    private static String eachColumn(java.util.function.UnaryOperator<String> value) {
        return Arrays.stream(COLUMNS.split(",")).map(String::trim).map(value).collect(Collectors.joining(", "));
    }

    private static int bind(
            Connection connection, PreparedStatement statement, int first, ServerForm server, String ciphertext)
            throws SQLException {
        int i = first;
        statement.setString(i++, server.name());
        statement.setString(i++, server.hostname());
        statement.setString(i++, server.ipAddress());
        statement.setInt(i++, server.port());
        statement.setString(i++, server.protocol());
        statement.setString(i++, server.basePath());
        statement.setString(i++, server.dialect());
        statement.setString(i++, server.environment());
        statement.setString(i++, server.location());
        statement.setInt(i++, server.connectionTimeout());
        statement.setInt(i++, server.requestTimeout());
        statement.setInt(i++, server.maxRetries());
        statement.setInt(i++, server.healthCheckInterval());
        statement.setString(i++, server.healthCheckEndpoint());
        statement.setInt(i++, server.maxInstances());
        statement.setInt(i++, server.maxUsersPerInstance());
        statement.setInt(i++, server.messagingRateLimit());
        statement.setBoolean(i++, server.isEnabled());
        statement.setInt(i++, server.priority());
        statement.setInt(i++, server.weight());
        statement.setArray(i++, array(connection, server.tags()));
        statement.setBoolean(i++, server.sslVerify());
        statement.setArray(i++, array(connection, server.allowedIps()));
        statement.setString(i++, ciphertext);
        setInteger(statement, i++, server.rise());
        setInteger(statement, i++, server.fall());
        statement.setBoolean(i++, server.trustedNetwork());
        return i;
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static Array array(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}
