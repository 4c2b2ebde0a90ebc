package io.wafleet.router.admin;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes server_configs and server_lb_rules. Every service learns of a change through the sink's CDC
 * (wa.server-configs, wa.lb-rules); nothing here talks to Kafka.
 */
final class AdminStore {

    private static final String COLUMNS = "name, hostname, ip_address, port, protocol, base_path, dialect, environment,"
            + " location, connection_timeout, request_timeout, max_retries, health_check_interval,"
            + " health_check_endpoint, max_instances, max_users_per_instance, messaging_rate_limit, is_enabled,"
            + " priority, weight, tags, ssl_verify, allowed_ips, api_key_ciphertext, rise, fall";

    private final DataSource dataSource;

    AdminStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates a server; its id. A taken name is a {@link Conflict}. */
    String create(ServerForm server) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return insert(connection, server, false);
        }
    }

    /** Replaces a server's fields (the API key only when a new one is given); false when there is no such server. */
    boolean update(String id, ServerForm server) throws SQLException {
        String sql = "UPDATE server_configs SET " + assignments()
                + ", version = version + 1, updated_at = now(), updated_by = ? WHERE id = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bind(connection, statement, server);
            statement.setString(next, server.actor());
            statement.setString(next + 1, id);
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw Conflict.orSame(e);
        }
    }

    /** Marks a server draining, or no longer; false when there is no such server. */
    boolean setDraining(String id, boolean draining, String actor) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("UPDATE server_configs SET draining = ?,"
                        + " version = version + 1, updated_at = now(), updated_by = ? WHERE id = ?")) {
            statement.setBoolean(1, draining);
            statement.setString(2, actor);
            statement.setString(3, id);
            return statement.executeUpdate() == 1;
        }
    }

    /**
     * Deletes a server; false when there is no such server. The row first names its deleter in {@code updated_by}
     * (in the same transaction), so the change feed's delete says who deleted it.
     */
    boolean delete(String id, String actor) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement sign =
                            connection.prepareStatement("UPDATE server_configs SET updated_by = ? WHERE id = ?");
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM server_configs WHERE id = ?")) {
                sign.setString(1, actor);
                sign.setString(2, id);
                delete.setString(1, id);
                boolean deleted = sign.executeUpdate() == 1 && delete.executeUpdate() == 1;
                connection.commit();
                return deleted;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Creates or updates (by name) every server and sets the catch-all pool rule, in one transaction. */
    List<String> importAll(List<ServerForm> servers, LbRuleForm rule) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<String> ids = new java.util.ArrayList<>();
                for (ServerForm server : servers) {
                    ids.add(insert(connection, server, true));
                }
                if (rule != null) {
                    upsertRule(connection, rule);
                }
                connection.commit();
                return ids;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    String putRule(LbRuleForm rule) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return upsertRule(connection, rule);
        }
    }

    Map<String, Object> server(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, " + COLUMNS + ", version FROM server_configs WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? ServerJson.of(row) : null;
            }
        }
    }

    private String insert(Connection connection, ServerForm server, boolean upsert) throws SQLException {
        String sql = "INSERT INTO server_configs (" + COLUMNS + ", created_by, updated_by) VALUES (" + placeholders()
                + ", ?, ?)"
                + (upsert
                        ? " ON CONFLICT (name) DO UPDATE SET (" + COLUMNS + ", version, updated_at, updated_by) = ("
                                + excluded() + ", server_configs.version + 1, now(), EXCLUDED.updated_by)"
                        : "")
                + " RETURNING id";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bind(connection, statement, server);
            statement.setString(next, server.actor());
            statement.setString(next + 1, server.actor());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw Conflict.orSame(e);
        }
    }

    private String upsertRule(Connection connection, LbRuleForm rule) throws SQLException {
        String sql = "INSERT INTO server_lb_rules (name, environment, location, algorithm, health_check_required,"
                + " failover_enabled, panic_threshold, is_enabled, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (coalesce(environment, ''), coalesce(location, '')) DO UPDATE SET"
                + " (algorithm, health_check_required, failover_enabled, panic_threshold, is_enabled, version,"
                + " updated_at, updated_by) = (EXCLUDED.algorithm, EXCLUDED.health_check_required,"
                + " EXCLUDED.failover_enabled, EXCLUDED.panic_threshold, EXCLUDED.is_enabled,"
                + " server_lb_rules.version + 1, now(), EXCLUDED.updated_by) RETURNING id";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, rule.name());
            statement.setString(2, rule.environment());
            statement.setString(3, rule.location());
            statement.setString(4, rule.algorithm());
            statement.setBoolean(5, rule.healthCheckRequired());
            statement.setBoolean(6, rule.failoverEnabled());
            statement.setDouble(7, rule.panicThreshold());
            statement.setBoolean(8, rule.isEnabled());
            statement.setString(9, rule.actor());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static String placeholders() {
        return eachColumn(name -> "?");
    }

    /** {@code EXCLUDED.column} for every column; a re-import without an API key keeps the stored one. */
    private static String excluded() {
        return eachColumn(name -> name.equals("api_key_ciphertext")
                ? "coalesce(EXCLUDED.api_key_ciphertext, server_configs.api_key_ciphertext)"
                : "EXCLUDED." + name);
    }

    private static String eachColumn(java.util.function.UnaryOperator<String> value) {
        return java.util.Arrays.stream(COLUMNS.split(","))
                .map(String::trim)
                .map(value)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** {@code column = ?} for every column; an absent API key keeps the stored one. */
    private static String assignments() {
        return eachColumn(name -> name.equals("api_key_ciphertext")
                ? "api_key_ciphertext = coalesce(?, api_key_ciphertext)"
                : name + " = ?");
    }

    private static int bind(Connection connection, PreparedStatement statement, ServerForm server) throws SQLException {
        int i = 1;
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
        statement.setString(i++, server.apiKeyCiphertext());
        setInteger(statement, i++, server.rise());
        setInteger(statement, i++, server.fall());
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

    /** A unique name taken. */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }

        static SQLException orSame(SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new Conflict("a server with this name exists already");
            }
            return e;
        }
    }
}
