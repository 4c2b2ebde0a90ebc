package io.wafleet.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import io.wafleet.avro.MemoryUsage;
import io.wafleet.avro.ResponseTimes;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.sink.EventSinkApplication;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Audit sink throughput: fills wa.health-checks on an embedded broker with health checks (each with its parsed health
 * body), then starts the event-sink against an embedded PostgreSQL and measures rows per second from the first row
 * written to the last. Then the peer: the same rows, exported from the table in PostgreSQL's binary COPY format, the
 * table emptied, and the rows loaded back with {@code COPY health_checks FROM STDIN (FORMAT binary)}, PostgreSQL's
 * own fastest way in, timed the same way.
 */
@Command(name = "sink-throughput", mixinStandardHelpOptions = true)
public final class SinkThroughput implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "1000000")
    int records;

    @Option(names = "--servers", defaultValue = "5000", description = "Distinct server ids (keys).")
    int servers;

    @Option(names = "--max-poll-records", defaultValue = "5000")
    int maxPollRecords;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SinkThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wafleet-sink-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"));
                EmbeddedPostgres postgres = EmbeddedPostgres.start(data.resolve("postgres"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            long produceStart = System.nanoTime();
            produce(kafka.bootstrapServers());
            System.out.printf(
                    Locale.ROOT,
                    "produced %d health checks in %.1f s%n",
                    records,
                    (System.nanoTime() - produceStart) / 1e9);

            PostgresDatabase database = postgres.database();
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--wafleet.sink.max-poll-records=" + maxPollRecords,
                    "--wafleet.cdc.enabled=false",
                    "--logging.level.root=WARN"));
            database.springProperties().forEach(property -> args.add("--" + property));
            try (ConfigurableApplicationContext sink =
                    new SpringApplicationBuilder(EventSinkApplication.class).run(args.toArray(String[]::new))) {
                // Progress from the sink's own counter: counting rows in SQL while it writes would slow it down.
                Counter written = sink.getBean(MeterRegistry.class).counter("wafleet.sink.rows");
                long firstRowAt = 0;
                long rows = 0;
                long started = System.nanoTime();
                while (rows < records) {
                    TimeUnit.MILLISECONDS.sleep(100);
                    rows = (long) written.count();
                    if (rows > 0 && firstRowAt == 0) {
                        firstRowAt = System.nanoTime();
                    }
                    if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(10)) {
                        throw new IllegalStateException("only " + rows + " rows after 10 minutes");
                    }
                }
                double seconds = (System.nanoTime() - firstRowAt) / 1e9;
                long inTable = count(database);
                if (inTable != records) {
                    throw new IllegalStateException("expected " + records + " rows in health_checks, found " + inTable);
                }
                System.out.printf(
                        Locale.ROOT,
                        "sink wrote %d rows in %.1f s from its first row: %.0f rows/s (max.poll.records %d)%n",
                        rows,
                        seconds,
                        rows / seconds,
                        maxPollRecords);
                double copied = copyBack(database, data.resolve("rows.copy"));
                System.out.printf(
                        Locale.ROOT,
                        "COPY FROM STDIN (FORMAT binary) of the same rows into the same table: %.0f rows/s;"
                                + " the sink at %.2f× of it%n",
                        copied,
                        rows / seconds / copied);
            }
        }
        return 0;
    }

    private void produce(String bootstrap) throws Exception {
        Topic<String, HealthCheck> topic = Topics.defaults().healthChecks();
        Map<String, Object> config = BulkProducer.config(bootstrap);
        try (KafkaProducer<String, HealthCheck> producer = new KafkaProducer<>(
                config, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < records; i++) {
                String serverId = "srv-" + (i % servers);
                producer.send(
                        new ProducerRecord<>(topic.name(), serverId, check(serverId, now.plusMillis(i % 60_000), i)));
            }
            producer.flush();
        }
    }

    static HealthCheck check(String serverId, Instant at, int i) {
        return HealthCheck.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(serverId)
                .setProbeId("probe-bench")
                .setSource(CheckSource.ACTIVE)
                .setCheckedAt(at)
                .setLatencyMicros(1_000 + i % 5_000)
                .setSuccess(true)
                .setHttpStatus(200)
                .setReport(new HealthReport(
                        "healthy",
                        at,
                        86_400L,
                        "1.2.3",
                        new AccountCounts(50, 48, 2),
                        new MemoryUsage(150_000_000L, 200_000_000L, 250_000_000L),
                        new ResponseTimes(150.0, 300.0, 500.0),
                        null))
                .build();
    }

    /** Exports the table's rows (binary COPY), empties it, loads them back: rows a second of the load. */
    private double copyBack(PostgresDatabase database, Path file) throws Exception {
        String columns = "(event_id, server_id, probe_id, source, checked_at, latency_micros, success, http_status,"
                + " error_kind, error_message, attempts, report)";
        try (Connection connection = database.dataSource().getConnection()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                copy.copyOut(
                        "COPY (SELECT " + columns.substring(1, columns.length() - 1)
                                + " FROM health_checks) TO STDOUT (FORMAT binary)",
                        out);
            }
            connection.createStatement().execute("TRUNCATE health_checks");
            long start = System.nanoTime();
            long loaded;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                loaded = copy.copyIn("COPY health_checks " + columns + " FROM STDIN (FORMAT binary)", in);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Files.delete(file);
            if (loaded != records || count(database) != records) {
                throw new IllegalStateException("COPY loaded " + loaded + " rows, expected " + records);
            }
            return loaded / seconds;
        }
    }

    private static long count(PostgresDatabase database) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                ResultSet result = connection.createStatement().executeQuery("SELECT count(*) FROM health_checks")) {
            result.next();
            return result.getLong(1);
        }
    }
}
