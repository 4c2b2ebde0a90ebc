package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.wafleet.platform.FreePorts;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.registry.EmbeddedSchemaRegistry;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of docker-compose.yml without a Docker engine: it is valid against the Compose Specification's
 * JSON schema, it runs every service twice on the official images, and every image's jar starts with the
 * environment the file gives it (hosts pointed at a local broker, database and schema registry).
 */
class ComposeFileTest {

    /** The registry's address inside the compose network: its Confluent-compatible API. */
    private static final String COMPOSE_REGISTRY = "http://schema-registry:8080/apis/ccompat/v7";

    private static final Path HOME =
            Path.of(System.getProperty("wafleet.home", "..")).toAbsolutePath().normalize();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([-?])([^}]*))?}");
    /** The secrets compose requires, as an operator's .env would give them for this test. */
    private static final Map<String, String> DOT_ENV = Map.of(
            "POSTGRES_PASSWORD", "compose-test-password",
            "WAFLEET_ADMIN_TOKEN", "compose-test-admin-token",
            "WAFLEET_API_KEY_ENCRYPTION_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "GRAFANA_ADMIN_PASSWORD", "compose-test-grafana");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        try (InputStream in = Files.newInputStream(HOME.resolve("docker-compose.yml"))) {
            return new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() throws IOException {
        JsonNode document = new ObjectMapper().valueToTree(compose());
        JsonNode specification = new ObjectMapper()
                .readTree(HOME.resolve("deploy/compose-spec.json").toFile());
        // This edition of the schema still names its parts with draft-04's "id", which 2019-09 validators refuse;
        // the names are labels only.
        dropIds(specification);
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(specification);

        Set<ValidationMessage> errors = schema.validate(document);

        assertThat(errors).isEmpty();
    }

    @Test
    void itRunsKafkaInKraftModePostgresWithLogicalDecodingAndEveryServiceTwice() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services.get("kafka").get("image").toString()).startsWith("apache/kafka:");
        assertThat(environment(services.get("kafka"))).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        assertThat(services.get("postgres").get("command").toString()).contains("wal_level=logical");
        for (String service : List.of("event-sink", "stats-aggregator", "health-probe", "router")) {
            assertThat(services).containsKeys(service + "-1", service + "-2");
            assertThat(services.get(service + "-1").get("image"))
                    .isEqualTo(services.get(service + "-2").get("image"));
            assertThat(services.get(service + "-1")).containsKey("depends_on");
            assertThat(module(services.get(service + "-1"))).isEqualTo(service);
        }
        assertThat(services.get("simulator").get("command").toString()).contains("/config/servers.json");
        // No two services publish the same host port.
        List<String> hostPorts = services.values().stream()
                .flatMap(service -> ((List<?>) service.getOrDefault("ports", List.of())).stream())
                .map(port -> port.toString().split(":")[0])
                .toList();
        assertThat(hostPorts).doesNotHaveDuplicates();
        // Registry mode: every service writes and reads the Confluent wire format with the compose file's registry.
        assertThat(services.get("schema-registry").get("image").toString())
                .startsWith("apicurio/apicurio-registry-kafkasql:");
        for (String service : List.of("event-sink", "stats-aggregator", "health-probe", "router")) {
            assertThat(environment(services.get(service + "-1")))
                    .containsEntry("SCHEMA_REGISTRY_URL", COMPOSE_REGISTRY);
        }
    }

    @Test
    void prometheusLoadsTheAlertRulesAndScrapesEveryInstanceAndGrafanaTheDashboard() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> prometheus = services.get("prometheus");
        Map<String, Object> grafana = services.get("grafana");

        assertThat(prometheus.get("image").toString()).startsWith("prom/prometheus:");
        assertThat(volumeSources(prometheus))
                .contains("./deploy/prometheus/prometheus.yml", "./deploy/prometheus/alerts.yml");
        assertThat(volumeSources(grafana)).contains("./deploy/grafana/provisioning", "./deploy/grafana/wafleet.json");
        for (String source : volumeSources(prometheus).stream()
                .filter(v -> v.startsWith("./"))
                .toList()) {
            assertThat(HOME.resolve(source)).exists();
        }
        for (String source : volumeSources(grafana)) {
            assertThat(HOME.resolve(source)).exists();
        }
        String scrape = Files.readString(HOME.resolve("deploy/prometheus/prometheus.yml"));
        for (String service : List.of("event-sink", "stats-aggregator", "health-probe", "router")) {
            for (String instance : List.of(service + "-1", service + "-2")) {
                Map<String, String> environment = environment(services.get(instance));
                // The router's actuator has a port of its own; the other services' is their only one.
                String port = environment.getOrDefault("MANAGEMENT_PORT", environment.get("PORT"));
                assertThat(scrape).contains("'" + instance + ":" + port + "'");
            }
        }
    }

    private static List<String> volumeSources(Map<String, Object> service) {
        return ((List<?>) service.get("volumes"))
                .stream().map(volume -> volume.toString().split(":", 2)[0]).toList();
    }

    @Test
    void composeRefusesToStartWithoutRealSecrets() throws IOException {
        String compose = Files.readString(HOME.resolve("docker-compose.yml"));
        Set<String> secrets = Set.copyOf(DOT_ENV.keySet());
        Matcher variable = VARIABLE.matcher(compose);
        Set<String> seen = new java.util.TreeSet<>();
        while (variable.find()) {
            if (secrets.contains(variable.group(1))) {
                seen.add(variable.group(1));
                // ${SECRET:?why}: no fallback value that a trial deployment could keep in production.
                assertThat(variable.group(2)).as(variable.group()).isEqualTo("?");
            }
        }

        assertThat(seen).containsExactlyInAnyOrderElementsOf(secrets);
        assertThat(compose).doesNotContain("change-me");
    }

    @Test
    void theTopicsScriptCreatesTheTopicsOfTheTopicsTable() throws IOException {
        // A line may set its own partition count first ("partitions=1 topic wa.router-members ...").
        Pattern line = Pattern.compile("^(?:partitions=(\\d+) )?topic (\\S+) cleanup\\.policy=(compact|delete)"
                + "(?: retention\\.ms=\\$\\(\\((\\d+) \\* day\\)\\))?$");
        Map<String, TopicSpec> created = new LinkedHashMap<>();
        for (String text : Files.readAllLines(HOME.resolve("deploy/create-topics.sh"))) {
            Matcher topic = line.matcher(text);
            if (topic.matches()) {
                String name = topic.group(2);
                int partitions =
                        topic.group(1) == null ? TopicsConfig.DEFAULT_PARTITIONS : Integer.parseInt(topic.group(1));
                created.put(
                        name,
                        topic.group(3).equals("compact")
                                ? TopicSpec.compacted(name, partitions, (short) 1)
                                : TopicSpec.deleteAfter(
                                        name, partitions, (short) 1, Duration.ofDays(Long.parseLong(topic.group(4)))));
            }
        }

        assertThat(created.values())
                .containsExactlyInAnyOrderElementsOf(TopicsConfig.defaults().all());
    }

    @Test
    @ResourceLock(DemoTests.ONE_AT_A_TIME)
    void everyImagesJarStartsWithTheComposeEnvironment(@TempDir Path data) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), List.of("-Xmx320m", "-XX:+UseSerialGC"));
                EmbeddedPostgres postgres = EmbeddedPostgres.start(data.resolve("postgres"));
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(data.resolve("registry.log"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            Map<String, Object> postgresService = services().get("postgres");
            Map<String, String> postgresEnv = environment(postgresService);
            try (Connection connection = postgres.database().dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + postgresEnv.get("POSTGRES_USER") + " LOGIN SUPERUSER PASSWORD '"
                        + postgresEnv.get("POSTGRES_PASSWORD") + "'");
                // The embedded server already has a database of that name: it is handed to the role.
                statement.execute("ALTER DATABASE " + postgresEnv.get("POSTGRES_DB") + " OWNER TO "
                        + postgresEnv.get("POSTGRES_USER"));
            }
            List<Services.Service> started = new ArrayList<>();
            FreePorts ports = new FreePorts();
            Map<String, Map<String, Object>> services = services();
            for (String name : List.of("event-sink-1", "stats-aggregator-1", "health-probe-1", "router-1")) {
                Map<String, String> env = new LinkedHashMap<>();
                environment(services.get(name))
                        .forEach((key, value) -> env.put(
                                key,
                                value.replace("kafka:9092", kafka.bootstrapServers())
                                        .replace(COMPOSE_REGISTRY, registry.url())
                                        .replace("@postgres:5432/", "@localhost:" + postgres.port() + "/")
                                        // A container path: here, a folder of the test's.
                                        .replace(
                                                "/var/lib/wafleet",
                                                data.resolve(name).toString())));
                int port = ports.next();
                env.put("PORT", Integer.toString(port));
                String module = module(services.get(name));
                started.add(new Services.Service(module, port, env));
            }
            try (Services running = Services.start(HOME, started, Map.of(), data.resolve("logs"))) {
                running.awaitReady(Duration.ofSeconds(150));

                assertThat(running.processes())
                        .hasSize(4)
                        .allSatisfy(process -> assertThat(process.ready()).isTrue());
            }
        }
    }

    private static void dropIds(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            if (object.path("id").isTextual()) {
                object.remove("id");
            }
            object.forEach(ComposeFileTest::dropIds);
        } else if (node.isArray()) {
            node.forEach(ComposeFileTest::dropIds);
        }
    }

    /** The module a service's image is built from: the MODULE argument of deploy/service.Dockerfile. */
    @SuppressWarnings("unchecked")
    private static String module(Map<String, Object> service) {
        Map<String, Object> build = (Map<String, Object>) service.get("build");
        assertThat(HOME.resolve(build.get("context").toString())
                        .resolve(build.get("dockerfile").toString()))
                .exists();
        return ((Map<String, Object>) build.get("args")).get("MODULE").toString();
    }

    /**
     * A service's environment as compose gives it: anchors merged, ${VAR:-default} at its default, ${VAR:?why} from
     * the test's .env (compose refuses to start without it).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new HashMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of())).forEach((key, value) -> {
            Matcher variable = VARIABLE.matcher(String.valueOf(value));
            StringBuilder resolved = new StringBuilder();
            while (variable.find()) {
                String name = variable.group(1);
                String set = System.getenv(name) != null ? System.getenv(name) : DOT_ENV.get(name);
                boolean required = "?".equals(variable.group(2));
                assertThat(set != null || !required)
                        .as("compose requires " + name + ": " + variable.group(3))
                        .isTrue();
                variable.appendReplacement(
                        resolved,
                        Matcher.quoteReplacement(
                                set != null ? set : variable.group(3) == null ? "" : variable.group(3)));
            }
            variable.appendTail(resolved);
            env.put(key, resolved.toString());
        });
        return env;
    }
}
