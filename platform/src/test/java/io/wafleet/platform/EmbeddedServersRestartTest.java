package io.wafleet.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo keeps its data: a broker or database started again on its folder has what it had. */
class EmbeddedServersRestartTest {

    @Test
    void aBrokerRestartedOnItsFolderKeepsItsTopics(@TempDir Path folder) throws Exception {
        try (EmbeddedKafka first = EmbeddedKafka.start(folder);
                Admin admin = admin(first)) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1)))
                    .all()
                    .get();
        }

        try (EmbeddedKafka second = EmbeddedKafka.start(folder);
                Admin admin = admin(second)) {
            assertThat(admin.listTopics().names().get()).contains("kept");
            assertThat(admin.describeTopics(List.of("kept"))
                            .allTopicNames()
                            .get()
                            .get("kept")
                            .partitions())
                    .hasSize(2);
        }
    }

    @Test
    void aBrokerThatCannotStartSaysWhyAfterItsAttempts(@TempDir Path folder) throws Exception {
        EmbeddedKafka.start(folder).close();
        Path meta = folder.resolve("kafka-logs").resolve("meta.properties");
        Files.writeString(meta, Files.readString(meta).replace("node.id=1", "node.id=7"));

        assertThatThrownBy(() -> EmbeddedKafka.start(folder))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("its last lines")
                .hasMessageContaining("Stored node id 7");
        long attempts;
        try (var lines = Files.lines(folder.resolve("broker.log"))) {
            attempts = lines.filter(line -> line.contains("Stored node id 7")).count();
        }
        assertThat(attempts).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aDatabaseRestartedOnItsFolderKeepsItsRows(@TempDir Path folder) throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(folder);
                Connection connection = first.database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id int)");
            statement.execute("INSERT INTO kept VALUES (42)");
        }

        try (EmbeddedPostgres second = EmbeddedPostgres.start(folder);
                Connection connection = second.database().dataSource().getConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(42);
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
