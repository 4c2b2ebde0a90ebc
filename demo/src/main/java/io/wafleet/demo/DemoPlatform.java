package io.wafleet.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.simulator.SimulatedFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.flywaydb.core.Flyway;

/**
 * The whole fleet on one machine: embedded Kafka and PostgreSQL, the simulated servers of a servers.json, the four
 * services as processes (the router in demo mode, with fault injection), and the servers imported through the admin
 * API. What {@code ./wafleet demo} and the browser test run.
 */
final class DemoPlatform implements AutoCloseable {

    /** A demo's broker needs little: a small heap and the serial collector keep its memory down. */
    private static final List<String> BROKER_JVM =
            List.of("-Xms64m", "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final SimulatedFleet fleet;
    private final Services services;
    private final String routerUrl;
    private final String adminToken;
    private final double readySeconds;
    private final int imported;

    private DemoPlatform(
            Path dataDir,
            EmbeddedKafka kafka,
            EmbeddedPostgres postgres,
            SimulatedFleet fleet,
            Services services,
            String routerUrl,
            String adminToken,
            double readySeconds,
            int imported) {
        this.dataDir = dataDir;
        this.kafka = kafka;
        this.postgres = postgres;
        this.fleet = fleet;
        this.services = services;
        this.routerUrl = routerUrl;
        this.adminToken = adminToken;
        this.readySeconds = readySeconds;
        this.imported = imported;
    }

    static DemoPlatform start(
            Path home, Path dataDir, Path serversJson, Ports ports, int controlPort, Duration scanDelay)
            throws Exception {
        long started = System.nanoTime();
        Properties secrets = secrets(dataDir);
        CompletableFuture<EmbeddedKafka> kafkaStarting =
                CompletableFuture.supplyAsync(() -> EmbeddedKafka.start(dataDir.resolve("kafka"), BROKER_JVM));
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"));
        EmbeddedKafka kafka = kafkaStarting.join();
        SimulatedFleet fleet = SimulatedFleet.fromServersJson(serversJson, 15, 60, scanDelay, controlPort);
        Services services = null;
        try {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            PostgresDatabase database = postgres.database();
            Flyway.configure().dataSource(database.dataSource()).load().migrate();
            String adminToken = secrets.getProperty("adminToken");
            Map<String, String> env = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "DATABASE_URL", databaseUrl(database),
                    "WAFLEET_ADMIN_TOKEN", adminToken,
                    "WAFLEET_API_KEY_ENCRYPTION_KEY", secrets.getProperty("encryptionKey"),
                    "WAFLEET_AGGREGATOR_STATE_DIR",
                            dataDir.resolve("aggregator-state").toString());
            services = Services.start(
                    home,
                    StartCommand.services(
                            ports,
                            Map.of(
                                    "WAFLEET_SIMULATOR_CONTROL_URL",
                                    fleet.controlUrl().orElseThrow())),
                    env,
                    dataDir.resolve("logs"));
            services.awaitReady(Duration.ofSeconds(120));
            double readySeconds = (System.nanoTime() - started) / 1e9;
            String routerUrl = "http://localhost:" + ports.router;
            int imported = importServers(routerUrl, adminToken, serversJson);
            return new DemoPlatform(
                    dataDir, kafka, postgres, fleet, services, routerUrl, adminToken, readySeconds, imported);
        } catch (Exception | Error e) {
            if (services != null) {
                services.close();
            }
            fleet.close();
            kafka.close();
            postgres.close();
            throw e;
        }
    }

    Path dataDir() {
        return dataDir;
    }

    EmbeddedKafka kafka() {
        return kafka;
    }

    PostgresDatabase database() {
        return postgres.database();
    }

    SimulatedFleet fleet() {
        return fleet;
    }

    String routerUrl() {
        return routerUrl;
    }

    String adminToken() {
        return adminToken;
    }

    /** From the start of {@link #start} until every service answered ready. */
    double readySeconds() {
        return readySeconds;
    }

    int imported() {
        return imported;
    }

    /** Imports servers.json through the admin API, as an operator would. */
    private static int importServers(String router, String token, Path servers)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(router + "/api/v1/servers/import"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofFile(servers))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("importing " + servers + " failed: " + response.body());
        }
        return new ObjectMapper().readTree(response.body()).path("imported").asInt();
    }

    /** The seed's DATABASE_URL form of the embedded database. */
    static String databaseUrl(PostgresDatabase database) {
        String hostAndDb = database.jdbcUrl().substring("jdbc:postgresql://".length());
        return "postgresql://" + database.user() + (database.password() == null ? "" : ":" + database.password()) + "@"
                + hostAndDb;
    }

    /** The demo's admin token and API-key encryption key: made once, kept with its data so imports stay readable. */
    private static Properties secrets(Path dataDir) throws IOException {
        Path file = dataDir.resolve("demo-secrets.properties");
        Properties secrets = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                secrets.load(in);
            }
            return secrets;
        }
        SecureRandom random = new SecureRandom();
        byte[] token = new byte[16];
        byte[] key = new byte[32];
        random.nextBytes(token);
        random.nextBytes(key);
        secrets.setProperty("adminToken", HexFormat.of().formatHex(token));
        secrets.setProperty("encryptionKey", Base64.getEncoder().encodeToString(key));
        Files.createDirectories(dataDir);
        try (var out = Files.newOutputStream(file)) {
            secrets.store(out, "wafleet demo secrets (local demo only)");
        }
        return secrets;
    }

    /** Stops the services first (they flush to Kafka and PostgreSQL), then the fleet, broker and database. */
    @Override
    public void close() {
        services.close();
        fleet.close();
        kafka.close();
        postgres.close();
    }
}
