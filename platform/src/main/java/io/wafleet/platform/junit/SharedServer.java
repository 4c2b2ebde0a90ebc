package io.wafleet.platform.junit;

import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A server the test JVM shares: the external one when configured (nothing to stop), else an embedded one that is
 * stopped and whose data folder is deleted on close.
 *
 * @param endpoint what tests connect to
 * @param embedded the embedded server, or null for an external one
 * @param dataDir the embedded server's folder, or null
 */
record SharedServer<T>(T endpoint, AutoCloseable embedded, Path dataDir) implements AutoCloseable {

    /** The test JVM's Kafka, with wafleet's topics created. */
    static SharedServer<KafkaCluster> kafka(TestEnvironment environment) {
        SharedServer<KafkaCluster> shared;
        if (environment.kafka().isPresent()) {
            String bootstrap = environment.kafka().get();
            shared = new SharedServer<>(() -> bootstrap, null, null);
        } else {
            Path dataDir = TestFolders.create("wafleet-kafka");
            EmbeddedKafka kafka = EmbeddedKafka.start(dataDir);
            shared = new SharedServer<>(kafka, kafka, dataDir);
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, shared.endpoint().bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicsConfig.defaults());
        }
        return shared;
    }

    /** The test JVM's PostgreSQL. */
    static SharedServer<PostgresDatabase> postgres(TestEnvironment environment) {
        if (environment.database().isPresent()) {
            var url = environment.database().get();
            return new SharedServer<>(new PostgresDatabase(url.jdbcUrl(), url.user(), url.password()), null, null);
        }
        Path dataDir = TestFolders.create("wafleet-postgres");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir);
        return new SharedServer<>(postgres.database(), postgres, dataDir);
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) {
            embedded.close();
            TestFolders.delete(dataDir);
        }
    }
}
