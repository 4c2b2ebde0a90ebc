package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.HealthCheck;
import io.wafleet.platform.FreePorts;
import io.wafleet.platform.faults.BlackHoleProxy;
import io.wafleet.platform.junit.TopicCollector;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.simulator.SimulatedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault matrix: the four services as processes on the embedded broker and database, against the simulated
 * fleet, with CONNECTs (one every 500 ms) and health checks flowing, through each fault in turn: the broker paused
 * (SIGSTOP) for 75 s, the broker killed (-9) and started again on its data, PostgreSQL stopped for 30 s, PostgreSQL
 * black-holed for 60 s (a TCP proxy that stops forwarding without closing anything), every service killed (-9) at
 * once while work is in flight and started again, and a poison record of every kind on every consumed topic. After
 * each: every service ready again without a manual restart, and every request posted before the fault ended
 * answered, within {@link #RECOVERY} ({@link #FULL_RESTART} when every service was killed); at the end nothing lost and nothing written twice (audit rows = distinct events
 * on the topics; no request handled again after its answer), and every poison record in wa.dead-letters with its
 * reason. The measured table goes to {@code target/fault-matrix.md} (and the README).
 */
class FaultMatrixTest {

    private static final Logger LOG = LoggerFactory.getLogger(FaultMatrixTest.class);
    private static final Path HOME =
            Path.of(System.getProperty("wafleet.home", "..")).toAbsolutePath().normalize();
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    /**
     * The bound when the four services start (at first, and again after every one was killed): four JVMs, on two
     * cores shared with the module's other tests; after the kill the aggregator's group also waits out the dead
     * member's session.
     */
    private static final Duration FULL_RESTART = Duration.ofSeconds(180);

    private static final String TOKEN = "fault-matrix-admin-token";

    /** One row of the table. */
    private record Result(String fault, Duration recovery, int lost, long duplicated) {}

    private final Topics topics = Topics.defaults();
    private final ObjectMapper json = new ObjectMapper();
    private final AdminCalls admin = new AdminCalls(TOKEN);
    private final Set<String> checkIds = ConcurrentHashMap.newKeySet();
    private final List<Result> results = new ArrayList<>();

    private EmbeddedKafka kafka;
    private EmbeddedPostgres postgres;

    @Test
    void everyServiceRidesOutBrokerDatabaseAndProcessFailuresAndPoisonData(@TempDir Path data) throws Exception {
        kafka = EmbeddedKafka.start(data.resolve("kafka"), List.of("-Xmx384m", "-XX:+UseSerialGC"));
        postgres = EmbeddedPostgres.start(data.resolve("postgres"));
        PostgresDatabase direct = postgres.database();
        try (BlackHoleProxy databasePath = new BlackHoleProxy(postgres.port());
                SimulatedFleet fleet = SimulatedFleet.fromServersJson(
                        onFreePorts(data), 5, 20, Duration.ofSeconds(2), FreePorts.any());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                600_000),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            FaultWorkload workload = new FaultWorkload(topics, producer, Duration.ofMillis(500));
            PoisonRecords poison = new PoisonRecords(topics);
            TopicCollector collector = TopicCollector.start(
                    kafka.bootstrapServers(),
                    "fault-matrix",
                    List.of(
                            topics.connectionEvents().name(),
                            topics.healthChecks().name(),
                            topics.deadLetters().name()),
                    record -> collect(record, workload, poison));
            // The services reach PostgreSQL through the proxy, which can turn into a black hole.
            PostgresDatabase proxied = new PostgresDatabase(
                    direct.jdbcUrl().replace(":" + postgres.port() + "/", ":" + databasePath.port() + "/"),
                    direct.user(),
                    direct.password());
            Map<String, String> common = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "DATABASE_URL", DemoPlatform.databaseUrl(proxied),
                    "WAFLEET_ADMIN_TOKEN", TOKEN,
                    "WAFLEET_API_KEY_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            FreePorts ports = new FreePorts();
            List<Services.Service> instances = new ArrayList<>();
            for (String module : List.of("event-sink", "stats-aggregator", "health-probe", "router")) {
                instances.add(new Services.Service(
                        module,
                        ports.next(),
                        Map.of(
                                "WAFLEET_AGGREGATOR_STATE_DIR",
                                        data.resolve(module).toString(),
                                "MANAGEMENT_PORT", Integer.toString(ports.next()))));
            }
            // The services' logs outlive the run, for a failure's reader.
            Path logs = Path.of("target", "fault-matrix-logs").toAbsolutePath();
            if (Files.isDirectory(logs)) {
                try (var old = Files.list(logs)) {
                    for (Path file : old.toList()) {
                        Files.delete(file);
                    }
                }
            }
            try (Services services = Services.start(HOME, instances, common, logs)) {
                services.awaitReady(FULL_RESTART);
                ServiceProcess router = services.processes().get(3);
                admin.call(router, "POST", "/api/v1/servers/import", data.resolve("servers.json"));
                await().atMost(RECOVERY)
                        .untilAsserted(
                                () -> assertThat(healthy(services.processes().get(3)))
                                        .as("healthy servers in the router's table")
                                        .isEqualTo(12));
                awaitAnswered(services, workload, workload.posted(), RECOVERY);

                fault(services, workload, "broker paused (SIGSTOP) for 75 s", RECOVERY, () -> {
                    signal(kafka.pid(), "STOP");
                    pause(Duration.ofSeconds(75));
                    signal(kafka.pid(), "CONT");
                });
                fault(services, workload, "broker killed (-9), started again on its data", RECOVERY, () -> {
                    kafka.kill();
                    kafka = kafka.restart();
                });
                fault(services, workload, "PostgreSQL stopped for 30 s", RECOVERY, () -> {
                    int port = postgres.port();
                    postgres.close();
                    pause(Duration.ofSeconds(30));
                    postgres = EmbeddedPostgres.start(data.resolve("postgres"), port);
                });
                fault(services, workload, "PostgreSQL black-holed for 60 s", RECOVERY, () -> {
                    databasePath.swallow();
                    pause(Duration.ofSeconds(60));
                    databasePath.heal();
                });
                fault(
                        services,
                        workload,
                        "every service killed (-9) with work in flight, started again",
                        FULL_RESTART,
                        () -> {
                            for (int i = 0; i < services.processes().size(); i++) {
                                services.processes().get(i).kill();
                            }
                            for (int i = 0; i < services.processes().size(); i++) {
                                services.restart(i);
                            }
                        });
                String server = firstServer(services.processes().get(3));
                List<PoisonRecords.Sent> sent = new ArrayList<>();
                fault(
                        services,
                        workload,
                        "a poison record of every kind on every consumed topic",
                        RECOVERY,
                        () -> sent.addAll(poison.send(producer, server)));

                workload.close();
                producer.flush();
                awaitAnswered(services, workload, workload.posted(), RECOVERY);
                // Nothing lost and nothing written twice, in the audit as on the topics.
                await().atMost(RECOVERY)
                        .until(() -> count("SELECT count(*) FROM connection_events") == workload.distinctEvents());
                assertThat(count("SELECT count(*) - count(DISTINCT event_id) FROM connection_events"))
                        .isZero();
                await().atMost(RECOVERY)
                        .until(() -> count("SELECT count(*) FROM health_checks")
                                >= checkIds.size() - deadLetteredChecks(sent, poison));
                assertThat(count("SELECT count(*) - count(DISTINCT event_id) FROM health_checks"))
                        .isZero();
                assertThat(workload.duplicates())
                        .as("requests handled again after their answer (by fault: %s)", results)
                        .isEmpty();
                await().atMost(RECOVERY)
                        .untilAsserted(() -> assertThat(sent)
                                .filteredOn(PoisonRecords.Sent::deadLettered)
                                .allSatisfy(record -> assertThat(poison.reason(record))
                                        .as(record.kind() + " on " + record.topic())
                                        .isNotBlank()));
                services.awaitReady(RECOVERY);
            } finally {
                workload.close();
                writeTable(data);
                collector.close();
                producer.close(Duration.ofSeconds(5));
            }
        } finally {
            postgres.close();
            kafka.close();
        }
    }

    /**
     * The example fleet on free ports (written to {@code data/servers.json}): this test runs beside the others of the
     * module, some of which hold the example's own ports.
     */
    private Path onFreePorts(Path data) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode fleet = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(HOME.resolve("examples/servers.json").toFile());
        FreePorts ports = new FreePorts();
        fleet.get("servers")
                .forEach(server -> ((com.fasterxml.jackson.databind.node.ObjectNode) server).put("port", ports.next()));
        Path file = data.resolve("servers.json");
        json.writeValue(file.toFile(), fleet);
        return file;
    }

    /** Injects a fault, then measures how long until every service is ready and a new CONNECT is answered. */
    private void fault(Services services, FaultWorkload workload, String name, Duration bound, ThrowingRunnable inject)
            throws Exception {
        LOG.info("fault: {}", name);
        inject.run();
        long ended = System.nanoTime();
        int postedBefore = workload.posted();
        services.awaitReady(bound);
        String probe = workload.connect();
        awaitAnswered(services, workload, () -> workload.answered(probe) ? List.of() : List.of(probe), bound);
        Duration recovery = Duration.ofNanos(System.nanoTime() - ended);
        awaitAnswered(services, workload, postedBefore, RECOVERY);
        results.add(new Result(name, recovery, workload.unanswered(postedBefore).size(), workload.duplicated()));
        LOG.info("fault: {} recovered in {} ms", name, recovery.toMillis());
    }

    /**
     * Waits until the first {@code count} requests are answered; if they are not, fails naming them, the states read
     * for them and what the router's log says of the first one.
     */
    private static void awaitAnswered(Services services, FaultWorkload workload, int count, Duration bound) {
        awaitAnswered(services, workload, () -> workload.unanswered(count), bound);
    }

    private static void awaitAnswered(
            Services services, FaultWorkload workload, Supplier<List<String>> unanswered, Duration bound) {
        try {
            await().atMost(bound).until(() -> unanswered.get().isEmpty());
        } catch (ConditionTimeoutException e) {
            List<String> open = unanswered.get();
            String said = open.isEmpty() ? "" : routerSaid(services, workload.account(open.get(0)));
            throw new AssertionError(
                    "after " + bound.toSeconds() + " s, " + workload.describe(open)
                            + "; the router's log of the first: " + said,
                    e);
        }
    }

    /** The router's last log lines that name the account, or else its last warnings, on one line. */
    private static String routerSaid(Services services, String account) {
        try {
            List<String> lines = Files.readAllLines(services.processes().get(3).log());
            List<String> named =
                    lines.stream().filter(line -> line.contains(account)).toList();
            if (named.isEmpty()) {
                named = lines.stream()
                        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                        .toList();
            }
            return String.join(" | ", named.subList(Math.max(0, named.size() - 6), named.size()));
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void collect(ConsumerRecord<byte[], byte[]> record, FaultWorkload workload, PoisonRecords poison) {
        if (record.topic().equals(topics.connectionEvents().name())) {
            try {
                workload.collect(record);
            } catch (RuntimeException e) {
                // the poison record among the events
            }
        } else if (record.topic().equals(topics.deadLetters().name())) {
            poison.collect(record);
        } else {
            try {
                HealthCheck check =
                        topics.healthChecks().valueSerde().deserializer().deserialize(record.topic(), record.value());
                checkIds.add(check.getEventId());
            } catch (RuntimeException e) {
                // the garbage among the checks
            }
        }
    }

    private static long deadLetteredChecks(List<PoisonRecords.Sent> sent, PoisonRecords poison) {
        return sent.stream()
                .filter(record -> record.kind().contains("NUL in errorMessage") && poison.reason(record) != null)
                .count();
    }

    private long count(String sql) throws Exception {
        try (Connection connection = postgres.database().dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void writeTable(Path data) throws Exception {
        StringBuilder table = new StringBuilder("| fault | recovered in | lost | duplicated |\n|---|---|---|---|\n");
        for (Result result : results) {
            table.append("| ")
                    .append(result.fault())
                    .append(" | ")
                    .append(String.format("%.1f s", result.recovery().toMillis() / 1000.0))
                    .append(" | ")
                    .append(result.lost())
                    .append(" | ")
                    .append(result.duplicated())
                    .append(" |\n");
        }
        Path file = Path.of("target", "fault-matrix.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, table);
        LOG.info("fault matrix:\n{}", table);
    }

    private int healthy(ServiceProcess router) throws Exception {
        JsonNode body = json.readTree(admin.call(router, "GET", "/api/v1/servers", null));
        int healthy = 0;
        for (JsonNode server : body.path("servers")) {
            healthy += "HEALTHY".equals(server.path("status").asText()) ? 1 : 0;
        }
        return healthy;
    }

    private String firstServer(ServiceProcess router) throws Exception {
        return json.readTree(admin.call(router, "GET", "/api/v1/servers", null))
                .path("servers")
                .get(0)
                .path("id")
                .asText();
    }

    private static void signal(long pid, String signal) throws Exception {
        // The shell's own kill: no procps needed on a bare machine.
        int exit = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid)
                .inheritIO()
                .start()
                .waitFor();
        assertThat(exit).as("kill -" + signal + " " + pid).isZero();
    }

    /**
     * Lets the fault last {@code duration}: its end is scheduled as an event, and the test waits for that event to
     * have happened.
     */
    private static void pause(Duration duration) throws Exception {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try {
            clock.schedule(() -> null, duration.toMillis(), TimeUnit.MILLISECONDS)
                    .get();
        } finally {
            clock.shutdownNow();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
