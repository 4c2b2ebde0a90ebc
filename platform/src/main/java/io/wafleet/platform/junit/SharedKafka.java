package io.wafleet.platform.junit;

import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.schemas.TopicProvisioner;
import io.wafleet.schemas.TopicsConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The test JVM's Kafka: the external cluster when configured, else an embedded broker; wafleet's topics created. */
final class SharedKafka implements AutoCloseable {

    private final KafkaCluster cluster;
    private final EmbeddedKafka embedded;
    private final Path dataDir;

    private SharedKafka(KafkaCluster cluster, EmbeddedKafka embedded, Path dataDir) {
        this.cluster = cluster;
        this.embedded = embedded;
        this.dataDir = dataDir;
    }

    static SharedKafka start(TestEnvironment environment) {
        SharedKafka shared;
        if (environment.kafka().isPresent()) {
            String bootstrap = environment.kafka().get();
            shared = new SharedKafka(() -> bootstrap, null, null);
        } else {
            Path dataDir = TestFolders.create("wafleet-kafka");
            EmbeddedKafka kafka = EmbeddedKafka.start(dataDir);
            shared = new SharedKafka(kafka, kafka, dataDir);
        }
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, shared.cluster.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, TopicsConfig.defaults());
        }
        return shared;
    }

    KafkaCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
            TestFolders.delete(dataDir);
        }
    }
}
