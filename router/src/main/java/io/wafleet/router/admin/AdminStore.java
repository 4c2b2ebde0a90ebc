package io.wafleet.router.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes server_configs and server_lb_rules. Every service learns of a change through the sink's CDC
 * (wa.server-configs, wa.lb-rules); nothing here talks to Kafka.
 */
final class AdminStore {

    private final DataSource dataSource;
    private final ServerKeys keys;

    AdminStore(DataSource dataSource, ServerKeys keys) {
        this.dataSource = dataSource;
        this.keys = keys;
    }

    /** Creates a server; its id. A taken name is a {@link Conflict}. */
    String create(ServerForm server) throws SQLException {
        return inTransaction(connection -> {
            String id = UUID.randomUUID().toString();
            return ServerRows.insert(connection, id, server, keys.ciphertext(id, server, null), false);
        });
    }

    /** Replaces a server's fields (its key: see {@link ServerKeys}); false when there is no such server. */
    boolean update(String id, ServerForm server) throws SQLException {
        return inTransaction(connection -> {
            ServerRows.Stored stored = ServerRows.stored(connection, "id", id);
            return stored != null
                    && ServerRows.update(connection, id, server, keys.ciphertext(id, server, stored.key()));
        });
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
        return inTransaction(connection -> {
            List<String> ids = new java.util.ArrayList<>();
            for (ServerForm server : servers) {
                ids.add(upsert(connection, server));
            }
            if (rule != null) {
                upsertRule(connection, rule);
            }
            return ids;
        });
    }

    String putRule(LbRuleForm rule) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return upsertRule(connection, rule);
        }
    }

    Map<String, Object> server(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, " + ServerRows.COLUMNS + ", version FROM server_configs WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? ServerJson.of(row) : null;
            }
        }
    }

    /** Creates or updates the server of this name; its id. */
    private String upsert(Connection connection, ServerForm server) throws SQLException {
        ServerRows.Stored stored = ServerRows.stored(connection, "name", server.name());
        String id = stored == null ? UUID.randomUUID().toString() : stored.id();
        String ciphertext = keys.ciphertext(id, server, stored == null ? null : stored.key());
        String written = ServerRows.insert(connection, id, server, ciphertext, true);
        if (!written.equals(id)) {
            // Created by someone else since we looked: the key was sealed to the wrong id.
            throw new Conflict("server " + server.name() + " was created concurrently; try again");
        }
        return written;
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException e) {
                connection.rollback();
                throw Conflict.orSame(e);
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            }
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
