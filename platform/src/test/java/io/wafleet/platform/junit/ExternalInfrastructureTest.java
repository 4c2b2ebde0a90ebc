package io.wafleet.platform.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.DatabaseUrl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * With WAFLEET_TEST_KAFKA / WAFLEET_TEST_DATABASE_URL set, the extension uses those instead of starting its own.
 * The "external" ones here are the JVM's shared embedded servers, reached only through the variables' values.
 */
@WafleetIntegrationTest
class ExternalInfrastructureTest {

    @Test
    void anExternalKafkaIsUsedAsGivenAndGetsWafleetsTopics(KafkaCluster running) throws Exception {
        TestEnvironment environment = new TestEnvironment(Optional.of(running.bootstrapServers()), Optional.empty());

        try (SharedServer<KafkaCluster> shared = SharedServer.kafka(environment);
                Admin admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        shared.endpoint().bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get();

            assertThat(shared.endpoint().bootstrapServers()).isEqualTo(running.bootstrapServers());
            assertThat(topics)
                    .containsAll(TopicsConfig.defaults().all().stream()
                            .map(TopicSpec::name)
                            .toList());
        }
    }

    @Test
    void anExternalDatabaseIsReachedThroughTheSeedsUrlForm(PostgresDatabase running) throws Exception {
        String hostAndPath =
                running.jdbcUrl().substring("jdbc:postgresql://".length()).replaceAll("\\?.*", "");
        // The embedded server trusts loopback (any password does); an external one needs its own.
        String password = running.password() == null ? "unused" : running.password();
        String url = "postgresql://" + running.user() + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@"
                + hostAndPath;
        TestEnvironment environment = new TestEnvironment(Optional.empty(), Optional.of(DatabaseUrl.parse(url)));

        try (SharedServer<PostgresDatabase> shared = SharedServer.postgres(environment);
                Connection connection = shared.endpoint().dataSource().getConnection();
                ResultSet result = connection.createStatement().executeQuery("SELECT current_database()")) {
            result.next();

            assertThat(result.getString(1)).isEqualTo("wafleet");
            assertThat(shared.endpoint().jdbcUrl()).isEqualTo("jdbc:postgresql://" + hostAndPath);
        }
    }
}
