package io.wafleet.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.wafleet.avro.LbAlgorithm;
import io.wafleet.avro.LbRule;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.ApiKeyCipher;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/** Debezium CDC of server_configs: changes reach wa.server-configs in order, and another instance takes over. */
@WafleetIntegrationTest
class CdcIntegrationTest {

    private static final String CIPHERTEXT = "v1:bm9uY2UxMjM0NTY3OGNpcGhlcnRleHQ=";
    private final Topics topics = Topics.defaults();

    @Test
    void insertUpdateAndDeleteReachTheTopicInOrder(KafkaCluster kafka, PostgresDatabase server) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("cdc_order");
        String slot = "slot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String id = "srv-" + UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> configs =
                        consumer(kafka, topics.serverConfigs().name(), "latest");
                KafkaConsumer<String, byte[]> events =
                        consumer(kafka, topics.serverEvents().name(), "earliest");
                ConfigurableApplicationContext sink = SinkInstance.start(
                        kafka, database, "cdc-" + slot, "wafleet.cdc.enabled=true", "wafleet.cdc.slot-name=" + slot)) {
            CdcEngine cdc = sink.getBean(CdcEngine.class);
            await().atMost(Duration.ofSeconds(30)).until(cdc::isLeading);
            // A row seen on the topic means the initial snapshot has read the table: later rows are changes.
            String warmup = "srv-" + UUID.randomUUID();
            insert(database, warmup);
            await().atMost(Duration.ofSeconds(30)).until(() -> next(configs, warmup), record -> record != null);

            execute(
                    database,
                    "INSERT INTO server_configs (id, name, hostname, port, environment, api_key_ciphertext,"
                            + " updated_by) VALUES ('" + id + "', 'WA-CDC', 'wa.local', 3001, 'production', '"
                            + CIPHERTEXT
                            + "', 'alice')");
            ServerConfig created = await().atMost(Duration.ofSeconds(30))
                    .until(() -> next(configs, id), record -> record != null)
                    .valueOrTombstone();
            execute(
                    database,
                    "UPDATE server_configs SET port = 3002, version = 2, updated_by = 'bob' WHERE id = '" + id + "'");
            long updateAt = System.nanoTime();
            Received updated = await().atMost(Duration.ofSeconds(3)).until(() -> next(configs, id), r -> r != null);
            assertThat(System.nanoTime() - updateAt)
                    .isLessThan(Duration.ofSeconds(3).toNanos());
            // As the admin API deletes: the row names its deleter first, in the same transaction.
            execute(
                    database,
                    "BEGIN; UPDATE server_configs SET updated_by = 'carol' WHERE id = '" + id + "'; DELETE FROM"
                            + " server_configs WHERE id = '" + id + "'; COMMIT");
            Received deleted = await().atMost(Duration.ofSeconds(3))
                    .until(() -> next(configs, id), r -> r != null && r.value() == null);

            assertThat(created.getPort()).isEqualTo(3001);
            assertThat(created.getApiKeyCiphertext()).isEqualTo(CIPHERTEXT);
            assertThat(updated.valueOrTombstone().getPort()).isEqualTo(3002);
            assertThat(updated.valueOrTombstone().getUpdatedBy()).isEqualTo("bob");
            assertThat(deleted.value()).as("a delete is a tombstone").isNull();

            List<ServerEvent> audit = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                audit.addAll(serverEvents(events, id));
                return audit.size() >= 3;
            });
            assertThat(audit)
                    .extracting(ServerEvent::getType)
                    .containsExactly("SERVER_CONFIG_CREATED", "SERVER_CONFIG_UPDATED", "SERVER_CONFIG_DELETED");
            assertThat(audit.get(1).getDetails()).containsEntry("port", "3001 -> 3002");
            assertThat(audit.get(1).getActor()).isEqualTo("bob");
            // The deleter's name, and no event of its own for the update that wrote it.
            assertThat(audit.get(2).getActor()).isEqualTo("carol");
            assertThat(audit.get(2).getMessage()).endsWith("deleted by carol");

            try (KafkaConsumer<String, byte[]> rules =
                    consumer(kafka, topics.lbRules().name(), "earliest")) {
                execute(
                        database,
                        "INSERT INTO server_lb_rules (id, name, environment, algorithm) VALUES ('rule-" + id
                                + "', 'prod', 'production', 'least_connections')");
                LbRule rule = await().atMost(Duration.ofSeconds(10))
                        .until(() -> nextRule(rules, "rule-" + id), r -> r != null);
                assertThat(rule.getAlgorithm()).isEqualTo(LbAlgorithm.LEAST_CONNECTIONS);
                assertThat(rule.getEnvironment()).isEqualTo("production");
            }

            // A production server without TLS verification: a warning when it is so, not again while it stays so.
            String unverified = "srv-" + UUID.randomUUID();
            execute(
                    database,
                    "INSERT INTO server_configs (id, name, hostname, port, environment, ssl_verify, updated_by) VALUES"
                            + " ('" + unverified + "', 'WA-NoTls', 'wa.local', 443, 'production', false, 'alice')");
            execute(database, "UPDATE server_configs SET port = 8443, version = 2 WHERE id = '" + unverified + "'");
            List<ServerEvent> tls = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                tls.addAll(serverEvents(events, unverified));
                return tls.size() >= 3;
            });
            assertThat(tls)
                    .extracting(ServerEvent::getType)
                    .containsExactly("SERVER_CONFIG_CREATED", "SERVER_TLS_VERIFICATION_OFF", "SERVER_CONFIG_UPDATED");
            assertThat(tls.get(1).getLevel()).isEqualTo(io.wafleet.avro.EventLevel.WARNING);
            assertThat(tls.get(1).getActor()).isEqualTo("alice");
            assertThat(tls.get(1).getMessage()).contains("WA-NoTls").contains("WAFLEET_SERVER_TRUST_STORE");
        } finally {
            dropSlot(database, slot);
        }
    }

    @Test
    void aSecondInstanceTakesOverCdcWhenTheFirstStops(KafkaCluster kafka, PostgresDatabase server) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("cdc_takeover");
        String slot = "slot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String[] cdcOn = {"wafleet.cdc.enabled=true", "wafleet.cdc.slot-name=" + slot, "wafleet.cdc.lock-retry=500ms"};
        String before = "srv-" + UUID.randomUUID();
        String after = "srv-" + UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> configs =
                consumer(kafka, topics.serverConfigs().name(), "latest")) {
            ConfigurableApplicationContext first = SinkInstance.start(kafka, database, "cdc-a-" + slot, cdcOn);
            CdcEngine firstCdc = first.getBean(CdcEngine.class);
            await().atMost(Duration.ofSeconds(30)).until(firstCdc::isLeading);
            try (ConfigurableApplicationContext second = SinkInstance.start(kafka, database, "cdc-b-" + slot, cdcOn)) {
                CdcEngine secondCdc = second.getBean(CdcEngine.class);
                insert(database, before);
                await().atMost(Duration.ofSeconds(30)).until(() -> next(configs, before), r -> r != null);
                assertThat(secondCdc.isLeading())
                        .as("the second instance waits while the first leads")
                        .isFalse();

                first.close();
                await().atMost(Duration.ofSeconds(30)).until(secondCdc::isLeading);
                insert(database, after);

                Received taken =
                        await().atMost(Duration.ofSeconds(30)).until(() -> next(configs, after), r -> r != null);
                assertThat(taken.valueOrTombstone().getId()).isEqualTo(after);
            } finally {
                first.close();
            }
        } finally {
            dropSlot(database, slot);
        }
    }

    @Test
    void whenItsReplicationConnectionIsKilledCdcComesBackAndLeadingTellsTheTruth(
            KafkaCluster kafka, PostgresDatabase server) throws Exception {
        killTheWalsenderAndAwaitTheNextChange(kafka, server, "cdc_killed");
    }

    /**
     * Debezium told not to retry (as it stops for any failure it does not retry): the engine ends, the instance lets
     * go of the CDC lock (a new connection holds it after) and starts the engine again, and changes flow again.
     */
    @Test
    void whenTheEngineStopsTheLockIsReleasedAndTakenAgainAndCdcGoesOn(KafkaCluster kafka, PostgresDatabase server)
            throws Exception {
        int[] holders = killTheWalsenderAndAwaitTheNextChange(
                kafka, server, "cdc_engine_stops", "wafleet.cdc.debezium.errors.max.retries=0");
        assertThat(holders[1])
                .as("the backend holding the CDC lock: released with the stopped engine, taken again")
                .isNotEqualTo(holders[0])
                .isPositive();
    }

    /**
     * A CDC sink (with these settings too) streams a change; the database ends the walsender that streams its slot,
     * as an administrator or a failover would; a change made after reaches the topic and the instance leads again.
     * Returns the backends that held the CDC lock before the kill and after.
     */
    private int[] killTheWalsenderAndAwaitTheNextChange(
            KafkaCluster kafka, PostgresDatabase server, String name, String... settings) throws Exception {
        PostgresDatabase database = server.createFreshDatabase(name);
        String slot = "slot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String before = "srv-" + UUID.randomUUID();
        String after = "srv-" + UUID.randomUUID();
        List<String> properties = new ArrayList<>(
                List.of("wafleet.cdc.enabled=true", "wafleet.cdc.slot-name=" + slot, "wafleet.cdc.lock-retry=500ms"));
        properties.addAll(List.of(settings));
        try (KafkaConsumer<String, byte[]> configs =
                        consumer(kafka, topics.serverConfigs().name(), "latest");
                ConfigurableApplicationContext sink = SinkInstance.start(
                        kafka, database, name.replace('_', '-') + "-" + slot, properties.toArray(String[]::new))) {
            CdcEngine cdc = sink.getBean(CdcEngine.class);
            await().atMost(Duration.ofSeconds(30)).until(cdc::isLeading);
            insert(database, before);
            await().atMost(Duration.ofSeconds(30)).until(() -> next(configs, before), r -> r != null);
            int holderBefore = lockHolder(database);

            execute(
                    database,
                    "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + slot
                            + "'");
            insert(database, after);

            Received changed = await().atMost(Duration.ofSeconds(90)).until(() -> next(configs, after), r -> r != null);
            assertThat(changed.valueOrTombstone().getId()).isEqualTo(after);
            await().atMost(Duration.ofSeconds(30)).until(cdc::isLeading);
            return new int[] {holderBefore, lockHolder(database)};
        } finally {
            dropSlot(database, slot);
        }
    }

    /** The backend that holds the CDC advisory lock in this database, or 0 when none does. */
    private static int lockHolder(PostgresDatabase database) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT coalesce(max(pid), 0) FROM pg_locks"
                        + " WHERE locktype = 'advisory' AND granted"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            result.next();
            return result.getInt(1);
        }
    }

    @Test
    void thePlaintextApiKeyNeverReachesTheTopicsOrTheLogs(KafkaCluster kafka, PostgresDatabase server)
            throws Exception {
        PostgresDatabase database = server.createFreshDatabase("cdc_secret");
        String slot = "slot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String id = "srv-" + UUID.randomUUID();
        String plaintext = "plain-secret-" + UUID.randomUUID();
        ApiKeyCipher cipher = ApiKeyCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[32]));
        ApiKeyCipher.Binding binding = ApiKeyCipher.Binding.of(id, "https", "wa.local", 3001);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (KafkaConsumer<String, byte[]> configs =
                        consumer(kafka, topics.serverConfigs().name(), "latest");
                KafkaConsumer<String, byte[]> events =
                        consumer(kafka, topics.serverEvents().name(), "earliest");
                ConfigurableApplicationContext sink = SinkInstance.start(
                        kafka, database, "cdc-" + slot, "wafleet.cdc.enabled=true", "wafleet.cdc.slot-name=" + slot)) {
            await().atMost(Duration.ofSeconds(30)).until(sink.getBean(CdcEngine.class)::isLeading);
            String warmup = "srv-" + UUID.randomUUID();
            insert(database, warmup);
            await().atMost(Duration.ofSeconds(30)).until(() -> next(configs, warmup), record -> record != null);

            execute(
                    database,
                    "INSERT INTO server_configs (id, name, hostname, port, environment, api_key_ciphertext)"
                            + " VALUES ('" + id + "', 'WA-Secret', 'wa.local', 3001, 'production', '"
                            + cipher.encrypt(plaintext, binding) + "')");
            execute(
                    database,
                    "UPDATE server_configs SET api_key_ciphertext = '" + cipher.encrypt(plaintext + "2", binding)
                            + "' WHERE id = '" + id + "'");
            List<byte[]> configValues = new ArrayList<>();
            List<byte[]> eventValues = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                configValues.addAll(rawValues(configs, id));
                eventValues.addAll(rawValues(events, id));
                return configValues.size() >= 2 && eventValues.size() >= 2;
            });

            assertThat(configValues).allSatisfy(value -> assertThat(text(value)).doesNotContain(plaintext));
            assertThat(eventValues).allSatisfy(value -> assertThat(text(value)).doesNotContain(plaintext));
            ServerConfig published = topics.serverConfigs()
                    .valueSerde()
                    .deserializer()
                    .deserialize(topics.serverConfigs().name(), configValues.get(0));
            assertThat(cipher.decrypt(published.getApiKeyCiphertext(), ApiKeyCipher.Binding.of(published)))
                    .isEqualTo(plaintext);
            assertThat(logs.list)
                    .allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(plaintext));
        } finally {
            root.detachAppender(logs);
            dropSlot(database, slot);
        }
    }

    private static List<byte[]> rawValues(KafkaConsumer<String, byte[]> consumer, String id) {
        List<byte[]> values = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (id.equals(record.key()) && record.value() != null) {
                values.add(record.value());
            }
        }
        return values;
    }

    private final java.util.ArrayDeque<Received> pending = new java.util.ArrayDeque<>();

    private record Received(ServerConfig value) {
        ServerConfig valueOrTombstone() {
            return value;
        }
    }

    /** The next record of the server, in order: a poll's further ones are kept for the next call. */
    private Received next(KafkaConsumer<String, byte[]> consumer, String id) {
        if (pending.isEmpty()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.key().equals(id)) {
                    pending.add(new Received(
                            record.value() == null
                                    ? null
                                    : topics.serverConfigs()
                                            .valueSerde()
                                            .deserializer()
                                            .deserialize(record.topic(), record.value())));
                }
            }
        }
        return pending.poll();
    }

    private LbRule nextRule(KafkaConsumer<String, byte[]> consumer, String id) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.key().equals(id) && record.value() != null) {
                return topics.lbRules().valueSerde().deserializer().deserialize(record.topic(), record.value());
            }
        }
        return null;
    }

    private List<ServerEvent> serverEvents(KafkaConsumer<String, byte[]> consumer, String id) {
        List<ServerEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (id.equals(record.key())) {
                events.add(
                        topics.serverEvents().valueSerde().deserializer().deserialize(record.topic(), record.value()));
            }
        }
        return events;
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaCluster kafka, String topic, String reset) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "cdc-test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "latest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        // Resolve "latest" now, before the test makes changes, not at the first fetch after them.
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    private static void insert(PostgresDatabase database, String id) throws Exception {
        execute(
                database,
                "INSERT INTO server_configs (id, name, hostname, port, environment) VALUES ('" + id + "', '" + id
                        + "', 'wa.local', 3001, 'production')");
    }

    private static void execute(PostgresDatabase database, String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void dropSlot(PostgresDatabase database, String slot) {
        try {
            execute(
                    database,
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot
                            + "' AND NOT active");
        } catch (Exception ignored) {
            // Best effort: a slot left behind only holds WAL of the throw-away test database.
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
