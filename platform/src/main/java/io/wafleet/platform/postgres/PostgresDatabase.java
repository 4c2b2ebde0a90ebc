package io.wafleet.platform.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One PostgreSQL database that tests and services connect to.
 *
 * @param jdbcUrl JDBC URL without credentials
 * @param user the user to connect as
 * @param password the password, or null with trust authentication
 */
public record PostgresDatabase(String jdbcUrl, String user, String password) {

    /** A new unpooled DataSource for the database. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    /**
     * Spring Boot's datasource properties for this database ({@code spring.datasource.url}, {@code .username} and,
     * when there is one, {@code .password}), as {@code key=value}; prefix each with {@code --} for a command line.
     */
    public List<String> springProperties() {
        List<String> properties =
                new ArrayList<>(List.of("spring.datasource.url=" + jdbcUrl, "spring.datasource.username=" + user));
        if (password != null) {
            properties.add("spring.datasource.password=" + password);
        }
        return properties;
    }

    /**
     * Creates a new empty database on the same server, named {@code prefix} plus a random suffix, for a test that
     * needs a schema of its own.
     */
    public PostgresDatabase createFreshDatabase(String prefix) {
        if (!prefix.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database prefix must be lower-case letters, digits and _: " + prefix);
        }
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + jdbcUrl, e);
        }
        return withDatabase(name);
    }

    /** The same server, another database on it. */
    public PostgresDatabase withDatabase(String name) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?', slash);
        String rest = query < 0 ? "" : jdbcUrl.substring(query);
        return new PostgresDatabase(jdbcUrl.substring(0, slash + 1) + name + rest, user, password);
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + jdbcUrl + ", user=" + user + "]";
    }
}
