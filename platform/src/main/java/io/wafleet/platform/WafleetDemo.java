package io.wafleet.platform;

import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.TopicProvisioner;
import io.wafleet.schemas.TopicsConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's entry point. Brings up the embedded Kafka broker and PostgreSQL with their data under {@code .wafleet/}
 * (kept between runs), creates wafleet's topics and applies the SQL schema, then runs until Ctrl-C. The simulator,
 * the services and the dashboard join it as their issues land.
 */
public final class WafleetDemo {

    private WafleetDemo() {}

    public static void main(String[] args) throws InterruptedException {
        // The platform jar is on other modules' test classpaths, so it ships no logback.xml that would take theirs
        // over.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "wafleet-demo-logback.xml");
        }
        Logger log = LoggerFactory.getLogger(WafleetDemo.class);
        Path data = Path.of(args.length > 0 ? args[0] : ".wafleet").toAbsolutePath();
        EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
        EmbeddedPostgres postgres = EmbeddedPostgres.start(data.resolve("postgres"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            kafka.close();
                            postgres.close();
                            stopped.countDown();
                        },
                        "wafleet-demo-shutdown"));

        List<String> created;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            created = TopicProvisioner.ensure(admin, TopicsConfig.defaults());
        }
        PostgresDatabase database = postgres.database();
        int migrations =
                Flyway.configure().dataSource(database.dataSource()).load().migrate().migrationsExecuted;

        log.info("Kafka:      {} ({} topics created)", kafka.bootstrapServers(), created.size());
        log.info("PostgreSQL: {} as {} ({} migrations applied)", database.jdbcUrl(), database.user(), migrations);
        log.info("Data in {}. The simulator, services and dashboard are not built yet. Ctrl-C stops.", data);
        stopped.await();
    }
}
