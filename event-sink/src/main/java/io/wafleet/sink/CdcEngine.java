package io.wafleet.sink;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.wafleet.avro.ServerEvent;
import io.wafleet.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;

/**
 * CDC of server_configs and server_lb_rules: the Debezium embedded engine (postgres connector, pgoutput, initial
 * snapshot) on a single thread, in the one sink instance that holds a PostgreSQL advisory lock; the others wait and
 * take over when it goes. Publishes ServerConfig / LbRule records keyed by id (a tombstone on delete) and a
 * ServerEvent per change; offsets are kept in PostgreSQL by {@link JdbcOffsetStore}.
 */
final class CdcEngine implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(CdcEngine.class);
    private static final long LOCK_KEY = 0x7761666c656574L; // "wafleet"

    private final DataSourceProperties database;
    private final CdcProperties properties;
    private final Topics topics;
    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService leader = Executors.newSingleThreadExecutor(r -> new Thread(r, "cdc-leader"));
    private final ExecutorService engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "cdc-engine"));
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    /** Completed when the running engine stops, by itself (a failure) or closed. */
    private volatile java.util.concurrent.CompletableFuture<Void> engineDone =
            java.util.concurrent.CompletableFuture.completedFuture(null);

    private volatile boolean leading;

    CdcEngine(
            DataSourceProperties database,
            CdcProperties properties,
            Topics topics,
            Producer<String, byte[]> producer,
            Clock clock) {
        this.database = database;
        this.properties = properties;
        this.topics = topics;
        this.producer = producer;
        this.clock = clock;
    }

    /** True while this instance holds the CDC lock and runs the engine. */
    boolean isLeading() {
        return leading;
    }

    @Override
    public void start() {
        if (running.compareAndSet(false, true)) {
            leader.execute(this::lead);
        }
    }

    @Override
    public void stop() {
        if (running.compareAndSet(true, false)) {
            leader.shutdownNow();
            closeEngine();
            engineThread.shutdownNow();
            try {
                leader.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** Waits for the lock, runs the engine while holding it; the lock goes with the connection. */
    private void lead() {
        while (running.get()) {
            try (Connection lock = DriverManager.getConnection(
                    database.determineUrl(), database.determineUsername(), database.determinePassword())) {
                if (tryLock(lock)) {
                    leading = true;
                    LOG.info("this sink instance holds the CDC lock; starting Debezium");
                    runEngine();
                    while (running.get() && lock.isValid(2) && !engineDone.isDone()) {
                        TimeUnit.MILLISECONDS.sleep(properties.lockRetry().toMillis());
                    }
                    boolean engineFailed = engineDone.isDone();
                    // The engine stopped, the lock went with its connection, or we are stopping: the lock is let go
                    // with this connection, so another instance (or this one, again) may lead.
                    leading = false;
                    closeEngine();
                    if (running.get()) {
                        LOG.warn(
                                engineFailed
                                        ? "Debezium stopped; the CDC lock is released and taken again to restart it"
                                        : "lost the CDC lock; Debezium stopped, trying to take the lock again");
                    }
                }
            } catch (SQLException e) {
                LOG.warn("CDC lock check failed: {}", e.getMessage());
            } catch (RuntimeException e) {
                // Whatever else went wrong, this loop is the only thing that restarts CDC: it must not end.
                LOG.error("CDC failed; the lock is released and taken again to restart it", e);
                closeEngine();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                leading = false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(properties.lockRetry().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (ResultSet result =
                connection.createStatement().executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
            result.next();
            return result.getBoolean(1);
        }
    }

    private void runEngine() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        engineDone = done;
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::handle)
                .using((success, message, error) -> {
                    if (!success && running.get()) {
                        LOG.error("Debezium engine stopped: {}", message, error);
                    }
                    done.complete(null);
                })
                .build();
        engineThread.execute(engine);
    }

    private void handle(
            List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        for (RecordChangeEvent<SourceRecord> event : events) {
            SourceRecord record = event.record();
            if (record.value() instanceof Struct change && change.schema().field("op") != null) {
                publish(record.topic(), change);
            }
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    private void publish(String topic, Struct change) throws InterruptedException {
        String table = topic.substring(topic.lastIndexOf('.') + 1);
        Struct before = change.getStruct("before");
        Struct after = change.getStruct("after");
        Struct row = after != null ? after : before;
        String id = row.getString("id");
        try {
            if (table.equals("server_configs")) {
                byte[] value = after == null
                        ? null
                        : topics.serverConfigs()
                                .valueSerde()
                                .serializer()
                                .serialize(topics.serverConfigs().name(), ConfigChanges.serverConfig(after));
                producer.send(new ProducerRecord<>(topics.serverConfigs().name(), id, value))
                        .get();
            } else {
                byte[] value = after == null
                        ? null
                        : topics.lbRules()
                                .valueSerde()
                                .serializer()
                                .serialize(topics.lbRules().name(), ConfigChanges.lbRule(after));
                producer.send(new ProducerRecord<>(topics.lbRules().name(), id, value))
                        .get();
            }
            if (!"r".equals(change.getString("op"))) {
                Instant at = clock.instant();
                for (ServerEvent audit : new ServerEvent[] {
                    ConfigChanges.event(table, before, after, at), ConfigChanges.tlsWarning(table, before, after, at)
                }) {
                    if (audit != null) {
                        byte[] value = topics.serverEvents()
                                .valueSerde()
                                .serializer()
                                .serialize(topics.serverEvents().name(), audit);
                        producer.send(new ProducerRecord<>(topics.serverEvents().name(), id, value))
                                .get();
                    }
                }
            }
        } catch (ExecutionException e) {
            // The engine retries the batch: its offsets are not committed.
            throw new IllegalStateException("cannot publish the change of " + table + " " + id, e.getCause());
        }
    }

    private Properties engineProperties() {
        URI url = URI.create(database.determineUrl().substring("jdbc:".length()));
        Properties config = new Properties();
        config.setProperty("name", "wafleet-cdc");
        config.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.setProperty("offset.storage", JdbcOffsetStore.class.getName());
        config.setProperty(JdbcOffsetStore.URL, database.determineUrl());
        config.setProperty(JdbcOffsetStore.USER, database.determineUsername());
        if (database.determinePassword() != null) {
            config.setProperty(JdbcOffsetStore.PASSWORD, database.determinePassword());
        }
        config.setProperty("offset.flush.interval.ms", "1000");
        config.setProperty("database.hostname", url.getHost());
        config.setProperty("database.port", Integer.toString(url.getPort() == -1 ? 5432 : url.getPort()));
        config.setProperty("database.user", database.determineUsername());
        if (database.determinePassword() != null) {
            config.setProperty("database.password", database.determinePassword());
        }
        config.setProperty("database.dbname", url.getPath().substring(1));
        config.setProperty("topic.prefix", "wafleet");
        config.setProperty("plugin.name", "pgoutput");
        config.setProperty("slot.name", properties.slotName());
        config.setProperty("publication.name", properties.publicationName());
        config.setProperty("publication.autocreate.mode", "filtered");
        config.setProperty("table.include.list", "public.server_configs,public.server_lb_rules");
        config.setProperty("snapshot.mode", "initial");
        config.setProperty("decimal.handling.mode", "double");
        config.setProperty("tombstones.on.delete", "false");
        properties.debezium().forEach(config::setProperty);
        return config;
    }

    private void closeEngine() {
        DebeziumEngine<?> current = engine;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.warn("closing the Debezium engine: {}", e.getMessage());
            } catch (IllegalStateException e) {
                // "Engine has been already shut down": it stopped by itself (a failure), nothing left to close.
                LOG.debug("closing the Debezium engine: {}", e.getMessage());
            }
        }
    }
}
