package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.Dialect;
import io.wafleet.platform.FreePorts;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.kafka.SaslSslListener;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.registry.EmbeddedSchemaRegistry;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.KafkaClients;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import io.wafleet.simulator.TlsMaterial;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A cluster as production has it: the broker's SASL_SSL listener (SCRAM-SHA-512, a self-signed certificate made for
 * the test). The launcher's admin client creates the topics with {@code KAFKA_*} variables only; the four services
 * connect, two with Spring Boot's {@code SPRING_KAFKA_*} settings and two with {@code KAFKA_*}; a server imported
 * through the admin API reaches every service through CDC, is probed, aggregated and selected, and a CONNECT goes
 * through to the audit. A router with a wrong password fails start-up with the broker's reason. And a schema
 * registry as production has it (Apicurio Registry's Confluent API): the services run in registry mode, and a plain
 * consumer that knows only the registry reads every topic.
 */
@ResourceLock(DemoTests.ONE_AT_A_TIME)
class KafkaSecurityTest {

    private static final Path HOME =
            Path.of(System.getProperty("wafleet.home", "..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOKEN = "kafka-security-admin-token";
    private static final String USER = "wafleet";
    private static final String PASSWORD = "scram-" + UUID.randomUUID();

    private final AdminCalls admin = new AdminCalls(TOKEN);

    @Test
    void everyServiceConnectsOverSaslSslAndAConnectGoesThrough(@TempDir Path data) throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(data.resolve("tls"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                        data.resolve("kafka"),
                        List.of("-Xmx384m", "-XX:+UseSerialGC"),
                        new SaslSslListener(tls.keyStore(), tls.password()));
                EmbeddedPostgres postgres = EmbeddedPostgres.start(data.resolve("postgres"));
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(data.resolve("registry.log"));
                SimulatedFleet fleet = SimulatedFleet.start(List.of(ServerSpec.of("secure-1", Dialect.SEED)))) {
            try (Admin plain =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                plain.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
                        .all()
                        .get();
            }
            String secure = kafka.secureBootstrapServers();
            Map<String, String> kafkaEnv = kafkaVariables(secure, tls, PASSWORD);

            // The launcher's path: KAFKA_* only, as ./wafleet start reads them.
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                try (Admin admin =
                        Admin.create(KafkaClients.ofEnvironment(kafkaEnv).admin(Map.of()))) {
                    assertThat(StartCommand.ensureTopics(admin, TopicsConfig.defaults()))
                            .isNotEmpty();
                }
            });

            Map<String, String> common = new HashMap<>(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS",
                    secure,
                    "DATABASE_URL",
                    DemoPlatform.databaseUrl(postgres.database()),
                    "WAFLEET_ADMIN_TOKEN",
                    TOKEN,
                    "WAFLEET_API_KEY_ENCRYPTION_KEY",
                    Base64.getEncoder().encodeToString(new byte[32]),
                    "SCHEMA_REGISTRY_URL",
                    registry.url()));
            FreePorts ports = new FreePorts();
            List<Services.Service> instances = new ArrayList<>();
            instances.add(new Services.Service("event-sink", ports.next(), kafkaEnv));
            instances.add(new Services.Service(
                    "stats-aggregator",
                    ports.next(),
                    Map.of(
                            "WAFLEET_AGGREGATOR_STATE_DIR",
                            data.resolve("aggregator").toString(),
                            "KAFKA_SECURITY_PROTOCOL",
                            "SASL_SSL",
                            "KAFKA_SASL_MECHANISM",
                            SaslSslListener.MECHANISM,
                            "KAFKA_SASL_JAAS_CONFIG",
                            jaas(PASSWORD),
                            "KAFKA_SSL_TRUSTSTORE_LOCATION",
                            tls.keyStore().toString(),
                            "KAFKA_SSL_TRUSTSTORE_PASSWORD",
                            new String(tls.password()),
                            "KAFKA_SSL_TRUSTSTORE_TYPE",
                            "PKCS12")));
            instances.add(new Services.Service("health-probe", ports.next(), springVariables(tls, PASSWORD)));
            Map<String, String> routerEnv = new HashMap<>(springVariables(tls, PASSWORD));
            routerEnv.put("MANAGEMENT_PORT", Integer.toString(ports.next()));
            instances.add(new Services.Service("router", ports.next(), routerEnv));
            try (Services services = Services.start(HOME, instances, common, data.resolve("logs"))) {
                services.awaitReady(WAIT);
                ServiceProcess router = services.processes().get(3);
                SimulatedServer server = fleet.server("secure-1");
                admin.call(
                        router,
                        "POST",
                        "/api/v1/servers",
                        "{\"name\": \"WA-Secure\", \"hostname\": \"127.0.0.1\","
                                + " \"port\": " + server.port()
                                + ", \"protocol\": \"http\", \"environment\": \"production\","
                                + " \"healthCheckInterval\": 1000}");

                await().atMost(WAIT)
                        .until(() -> admin.call(router, "GET", "/api/v1/servers", null)
                                .contains("\"status\":\"HEALTHY\""));
                HttpResponse<String> connect = admin.send(router, "POST", "/api/v1/accounts/secure-acct/connect", "{}");
                assertThat(connect.statusCode()).as(connect.body()).isEqualTo(200);
                assertThat(connect.body()).contains("\"status\":\"qr_required\"");
                await().atMost(WAIT)
                        .until(() -> count(
                                        postgres,
                                        "SELECT count(*) FROM connection_events"
                                                + " WHERE account_id = 'secure-acct' AND state = 'qr_required'")
                                == 1);
                assertThat(count(postgres, "SELECT count(*) FROM health_checks"))
                        .isPositive();

                assertEveryTopicIsReadableWithTheRegistryAlone(kafka, registry);

                // Everything above went over SASL_SSL: the password appears in no service's log.
                for (Path log : Files.list(data.resolve("logs")).toList()) {
                    assertThat(Files.readString(log)).as(log.toString()).doesNotContain(PASSWORD);
                }
            }

            Map<String, String> wrong = new HashMap<>(springVariables(tls, "not-" + PASSWORD));
            wrong.put("MANAGEMENT_PORT", Integer.toString(ports.next()));
            try (Services refused = Services.start(
                    HOME,
                    List.of(new Services.Service("router", ports.next(), wrong)),
                    common,
                    data.resolve("logs-refused"))) {
                ServiceProcess router = refused.processes().get(0);
                await().atMost(WAIT).until(() -> !router.isAlive());
                assertThat(router.exitValue()).isNotZero();
                assertThat(Files.readString(router.log()))
                        .contains("Kafka refused this service's credentials")
                        .contains("Authentication failed")
                        .doesNotContain(PASSWORD);
            }
        }
    }

    /**
     * In registry mode every value on every topic is in the Confluent wire format with a schema the registry has, and
     * a consumer that knows only the registry reads the flow's records: the server's config (CDC), its checks and
     * health (probe, aggregator), the CONNECT's request and events (router).
     */
    private static void assertEveryTopicIsReadableWithTheRegistryAlone(
            EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) throws Exception {
        List<String> topics = TopicsConfig.defaults().all().stream()
                .map(TopicSpec::name)
                .filter(name ->
                        !name.equals(TopicsConfig.defaults().deadLetters().name()))
                .toList();
        Map<String, List<GenericRecord>> read =
                new RegistryReader(kafka.bootstrapServers(), registry.url()).readAll(topics);
        assertThat(read.get("wa.server-configs"))
                .anySatisfy(config -> assertThat(config.get("name")).hasToString("WA-Secure"));
        assertThat(read.get("wa.health-checks")).isNotEmpty();
        assertThat(read.get("wa.server-health"))
                .anySatisfy(health -> assertThat(health.get("status")).hasToString("HEALTHY"));
        assertThat(read.get("wa.connection-requests"))
                .anySatisfy(request -> assertThat(request.get("accountId")).hasToString("secure-acct"));
        assertThat(read.get("wa.connection-events")).anySatisfy(event -> {
            assertThat(event.get("accountId")).hasToString("secure-acct");
            assertThat(event.get("state")).hasToString("QR_REQUIRED");
        });
    }

    /** Spring Boot's own settings, as environment variables. */
    private static Map<String, String> springVariables(TlsMaterial tls, String password) {
        return Map.of(
                "SPRING_KAFKA_SECURITY_PROTOCOL",
                "SASL_SSL",
                "SPRING_KAFKA_SSL_TRUST_STORE_LOCATION",
                "file:" + tls.keyStore(),
                "SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD",
                new String(tls.password()),
                "SPRING_KAFKA_SSL_TRUST_STORE_TYPE",
                "PKCS12",
                "SPRING_KAFKA_PROPERTIES_SASL_MECHANISM",
                SaslSslListener.MECHANISM,
                "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                jaas(password));
    }

    private static Map<String, String> kafkaVariables(String bootstrap, TlsMaterial tls, String password) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                bootstrap,
                "KAFKA_SECURITY_PROTOCOL",
                "SASL_SSL",
                "KAFKA_SASL_MECHANISM",
                SaslSslListener.MECHANISM,
                "KAFKA_SASL_JAAS_CONFIG",
                jaas(password),
                "KAFKA_SSL_TRUSTSTORE_LOCATION",
                tls.keyStore().toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD",
                new String(tls.password()),
                "KAFKA_SSL_TRUSTSTORE_TYPE",
                "PKCS12");
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\""
                + password + "\";";
    }

    private static long count(EmbeddedPostgres postgres, String sql) throws Exception {
        try (Connection connection = postgres.database().dataSource().getConnection();
                ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
