package io.wafleet.sink;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's source offsets in PostgreSQL (table wafleet_cdc_offsets), durable and shared by every sink instance:
 * the instance that takes CDC over goes on from the last flushed position. Configured with
 * {@code offset.storage.jdbc.url}, {@code .user} and {@code .password}.
 */
public final class JdbcOffsetStore extends MemoryOffsetBackingStore {

    static final String URL = "offset.storage.jdbc.url";
    static final String USER = "offset.storage.jdbc.user";
    static final String PASSWORD = "offset.storage.jdbc.password";

    private String url;
    private String user;
    private String password;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, String> originals = config.originalsStrings();
        url = originals.get(URL);
        user = originals.get(USER);
        password = originals.get(PASSWORD);
    }

    @Override
    public synchronized void start() {
        super.start();
        try (Connection connection = connect();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("SELECT offset_key, offset_value FROM wafleet_cdc_offsets")) {
            while (rows.next()) {
                byte[] value = rows.getBytes(2);
                data.put(ByteBuffer.wrap(rows.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
            }
        } catch (SQLException e) {
            throw new ConnectException("cannot read CDC offsets: " + e.getMessage(), e);
        }
    }

    @Override
    protected void save() {
        try (Connection connection = connect();
                PreparedStatement upsert = connection.prepareStatement(
                        "INSERT INTO wafleet_cdc_offsets (offset_key, offset_value, updated_at) VALUES (?, ?, now())"
                                + " ON CONFLICT (offset_key) DO UPDATE SET offset_value = EXCLUDED.offset_value,"
                                + " updated_at = now()")) {
            for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
                upsert.setBytes(1, bytes(entry.getKey()));
                upsert.setBytes(2, entry.getValue() == null ? null : bytes(entry.getValue()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw new ConnectException("cannot save CDC offsets: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
