package io.wafleet.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The seed's WHATSAPP_SERVER_URL becomes the only server when none is configured, and never more. */
@WafleetIntegrationTest
class DefaultServerTest {

    @Test
    void theDefaultServerIsAddedOnceAndOnlyToAnEmptyFleet(PostgresDatabase server) throws Exception {
        DataSource dataSource = server.createFreshDatabase("default_server").dataSource();
        Flyway.configure().dataSource(dataSource).load().migrate();

        assertThat(DefaultServer.addIfNone(dataSource, "http://localhost:3005/whatsapp/"))
                .isTrue();
        assertThat(DefaultServer.addIfNone(dataSource, "https://elsewhere:443")).isFalse();
        assertThat(DefaultServer.addIfNone(dataSource, "")).isFalse();

        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT name, hostname, port, protocol, base_path, environment FROM server_configs")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("default");
            assertThat(rows.getString(2)).isEqualTo("localhost");
            assertThat(rows.getInt(3)).isEqualTo(3005);
            assertThat(rows.getString(4)).isEqualTo("http");
            assertThat(rows.getString(5)).isEqualTo("/whatsapp");
            assertThat(rows.getString(6)).isEqualTo("production");
            assertThat(rows.next()).isFalse();
        }
        assertThatThrownBy(() -> DefaultServer.addIfNone(dataSource, "localhost:3005"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WHATSAPP_SERVER_URL");
    }
}
