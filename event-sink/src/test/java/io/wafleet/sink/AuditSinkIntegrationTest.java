package io.wafleet.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The audit sink against the real broker and database: exactly once, restarts, and unreadable records. */
@WafleetIntegrationTest
class AuditSinkIntegrationTest {

    private final Topics topics = Topics.defaults();

    @Test
    void everyEventTypeLandsExactlyOnceEvenWhenDeliveredTwice(KafkaCluster kafka, PostgresDatabase server)
            throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_once");
        String serverId = "srv-" + UUID.randomUUID();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.addAll(twice(topics.healthChecks(), serverId, i -> Records.healthCheck(serverId, i)));
        records.addAll(twice(topics.serverStats(), serverId, i -> Records.serverStats(serverId, i)));
        records.addAll(twice(topics.serverMetrics(), serverId, i -> Records.serverMetrics(serverId, i)));
        records.addAll(twice(topics.serverEvents(), serverId, i -> Records.serverEvent(serverId, i)));
        records.addAll(twice(
                topics.connectionEvents(),
                serverId,
                i -> Records.connectionEvent(serverId, "acct-" + i, AccountState.QR_REQUIRED, Instant.now())));
        records.addAll(twice(
                topics.messageEvents(),
                "acct-1",
                i -> Records.messageEvent(
                        serverId,
                        "acct-1",
                        "m-" + i,
                        io.wafleet.avro.MessageStatus.SENT,
                        Instant.now(),
                        Instant.now())));

        String group = "sink-once-" + serverId;
        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, group)) {
            send(kafka, records);
            DataSource rows = database.dataSource();
            // Once the group has committed up to the end of every topic, the duplicates have been read too.
            awaitCommittedToEnd(kafka, group);

            for (String table : List.of(
                    "health_checks",
                    "server_stats",
                    "server_metrics",
                    "server_events",
                    "connection_events",
                    "server_connections",
                    "message_events")) {
                assertThat(count(rows, table, serverId)).as(table).isEqualTo(10);
            }
        }
    }

    @Test
    void anAccountsCurrentStateFollowsItsEventsAndKeepsItsHistory(KafkaCluster kafka, PostgresDatabase server)
            throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_accounts");
        String serverId = "srv-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        Instant start = Records.now();
        List<ProducerRecord<byte[], byte[]>> lifecycle =
                List.of(AccountState.PENDING, AccountState.QR_REQUIRED, AccountState.CONNECTED).stream()
                        .map(state -> record(
                                topics.connectionEvents(),
                                account,
                                Records.connectionEvent(serverId, account, state, start.plusMillis(state.ordinal()))))
                        .toList();

        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, "sink-acc-" + serverId)) {
            send(kafka, lifecycle);
            DataSource rows = database.dataSource();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(rows, "connection_events", serverId) == 3);

            try (Connection connection = rows.getConnection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT state, connected_at, qr_code, qr_id FROM server_connections WHERE account_id = ?");
                    PreparedStatement history = connection.prepareStatement(
                            "SELECT qr_id, qr_code FROM connection_events WHERE account_id = ? AND state = 'qr_required'")) {
                select.setString(1, account);
                ResultSet current = select.executeQuery();
                assertThat(current.next()).isTrue();
                assertThat(current.getString(1)).isEqualTo("connected");
                assertThat(current.getTimestamp(2).toInstant()).isEqualTo(start.plusMillis(3));
                assertThat(current.getString(3)).as("QR of a connected account").isNull();
                assertThat(current.getString(4))
                        .as("QR id of a connected account")
                        .isNull();
                history.setString(1, account);
                ResultSet shown = history.executeQuery();
                assertThat(shown.next()).isTrue();
                assertThat(shown.getString(1))
                        .as("the audit keeps which QR was shown")
                        .isEqualTo("qr-" + account);
                assertThat(shown.getString(2)).isNull();
            }
        }
    }

    @Test
    void aMessagesStepsAreAuditedAndItsLatestStepAndTimeToSentAreInMessageStatus(
            KafkaCluster kafka, PostgresDatabase server) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_messages");
        String serverId = "srv-" + UUID.randomUUID();
        String account = "acct-" + UUID.randomUUID();
        Instant posted = Records.now();
        List<ProducerRecord<byte[], byte[]>> steps = new ArrayList<>();
        int i = 0;
        for (io.wafleet.avro.MessageStatus status : List.of(
                io.wafleet.avro.MessageStatus.QUEUED,
                io.wafleet.avro.MessageStatus.SENT,
                io.wafleet.avro.MessageStatus.DELIVERED,
                io.wafleet.avro.MessageStatus.READ)) {
            steps.add(record(
                    topics.messageEvents(),
                    account,
                    Records.messageEvent(serverId, account, "order-1", status, posted, posted.plusMillis(120L * i++))));
        }
        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, "sink-msg-" + serverId)) {
            send(kafka, steps);
            DataSource rows = database.dataSource();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(rows, "message_events", serverId) == 4);
            try (Connection connection = rows.getConnection();
                    PreparedStatement select = connection.prepareStatement("SELECT status, server_message_id,"
                            + " ms_to_sent, sent_at FROM message_status WHERE account_id = ? AND message_id = ?")) {
                select.setString(1, account);
                select.setString(2, "order-1");
                ResultSet latest = select.executeQuery();
                assertThat(latest.next()).isTrue();
                assertThat(latest.getString(1)).isEqualTo("read");
                assertThat(latest.getString(2)).isEqualTo("srv-order-1");
                assertThat(latest.getDouble(3)).isEqualTo(120.0);
                assertThat(latest.getTimestamp(4).toInstant()).isEqualTo(posted.plusMillis(120));
                assertThat(latest.next()).isFalse();
            }
        }
    }

    @Test
    void anUnreadableRecordGoesToDeadLettersAndTheStreamGoesOn(KafkaCluster kafka, PostgresDatabase server)
            throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_dlq");
        String serverId = "srv-" + UUID.randomUUID();
        byte[] garbage = ("not avro " + serverId).getBytes(StandardCharsets.UTF_8);
        List<ProducerRecord<byte[], byte[]>> records = List.of(
                new ProducerRecord<>(topics.healthChecks().name(), serverId.getBytes(StandardCharsets.UTF_8), garbage),
                record(topics.healthChecks(), serverId, Records.healthCheck(serverId, 1)));

        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, "sink-dlq-" + serverId)) {
            send(kafka, records);
            DataSource rows = database.dataSource();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(rows, "health_checks", serverId) == 1);

            ConsumerRecord<byte[], byte[]> letter = deadLetter(kafka, garbage);
            assertThat(header(letter, DeadLetters.TOPIC_HEADER))
                    .isEqualTo(topics.healthChecks().name());
            assertThat(header(letter, DeadLetters.ERROR_HEADER))
                    .contains("cannot decode HealthCheck from topic wa.health-checks");
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(serverId);
        }
    }

    @Test
    void aSinkStoppedMidStreamAndRestartedLosesAndDuplicatesNothing(KafkaCluster kafka, PostgresDatabase server)
            throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_restart");
        String serverId = "srv-" + UUID.randomUUID();
        String group = "sink-restart-" + serverId;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            records.add(record(topics.healthChecks(), serverId, Records.healthCheck(serverId, i)));
        }
        send(kafka, records);
        DataSource rows = database.dataSource();

        try (ConfigurableApplicationContext first =
                SinkInstance.start(kafka, database, group, "wafleet.sink.max-poll-records=50")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(rows, "health_checks", serverId) > 0);
        }
        long afterStop = count(rows, "health_checks", serverId);
        try (ConfigurableApplicationContext second = SinkInstance.start(kafka, database, group)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(rows, "health_checks", serverId) == 3000);
        }

        assertThat(afterStop).isBetween(1L, 3000L);
        try (Connection connection = rows.getConnection();
                ResultSet distinct = connection
                        .createStatement()
                        .executeQuery("SELECT count(DISTINCT event_id), count(*) FROM health_checks WHERE server_id = '"
                                + serverId + "'")) {
            distinct.next();
            assertThat(distinct.getLong(1)).isEqualTo(3000);
            assertThat(distinct.getLong(2)).isEqualTo(3000);
        }
    }

    @Test
    void theLiveHealthTableIsUpsertedInTheRecordsOwnTimeOrderAndATombstoneRemovesTheServer(
            KafkaCluster kafka, PostgresDatabase server) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_health");
        String kept = "srv-" + UUID.randomUUID();
        String removed = "srv-" + UUID.randomUUID();
        Instant t = Records.now();
        Topic<String, ServerHealth> health = topics.serverHealth();
        List<ProducerRecord<byte[], byte[]>> records = List.of(
                record(health, kept, Records.serverHealth(kept, HealthStatus.UNHEALTHY, t)),
                record(health, kept, Records.serverHealth(kept, HealthStatus.HEALTHY, t.plusSeconds(2))),
                // An older record read after a newer one (replayed by hand, say) must not win.
                record(health, kept, Records.serverHealth(kept, HealthStatus.DEGRADED, t.plusSeconds(1))),
                record(health, removed, Records.serverHealth(removed, HealthStatus.HEALTHY, t)),
                new ProducerRecord<byte[], byte[]>(
                        health.name(),
                        (Integer) null,
                        t.plusSeconds(3).toEpochMilli(),
                        health.keySerde().serializer().serialize(health.name(), removed),
                        (byte[]) null));

        String group = "sink-health-" + kept;
        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, group)) {
            send(kafka, records);
            awaitCommittedToEnd(kafka, group);
            // The same records once more, one batch each: the table must not move back either.
            for (ProducerRecord<byte[], byte[]> again : records.subList(0, 3)) {
                send(kafka, List.of(again));
            }
            awaitCommittedToEnd(kafka, group);

            DataSource rows = database.dataSource();
            assertThat(count(rows, "server_health", removed)).isZero();
            try (Connection connection = rows.getConnection();
                    PreparedStatement select = connection.prepareStatement("SELECT status, reason, updated_at,"
                            + " consecutive_successes, connected_accounts, p99_1m_micros FROM server_health"
                            + " WHERE server_id = ?")) {
                select.setString(1, kept);
                ResultSet row = select.executeQuery();
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("healthy");
                assertThat(row.getString(2)).isEqualTo("HEALTHY for the test");
                assertThat(row.getTimestamp(3).toInstant()).isEqualTo(t.plusSeconds(2));
                assertThat(row.getInt(4)).isEqualTo(4);
                assertThat(row.getInt(5)).isEqualTo(40);
                assertThat(row.getDouble(6)).isEqualTo(9_000.0);
                assertThat(row.next()).isFalse();
            }
        }
    }

    /** Waits until the group's committed offsets reach the end of every partition of the audited topics. */
    @Test
    void rowsPostgresRefusesGoToDeadLettersWithTheReasonAndEveryOtherRowIsWritten(
            KafkaCluster kafka, PostgresDatabase server) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_refused");
        String serverId = "srv-" + UUID.randomUUID();
        // A NUL in a text (PostgreSQL: 22021) and a time past PostgreSQL's range (22008), among good rows.
        var nul = Records.connectionEvent(serverId, "acct-nul", AccountState.PENDING, Records.now());
        nul.setAccountName("nul\u0000name");
        var farFuture = Records.healthCheck(serverId, 90);
        farFuture.setCheckedAt(Instant.ofEpochMilli(Long.MAX_VALUE / 2));
        ProducerRecord<byte[], byte[]> nulRecord = record(topics.connectionEvents(), "acct-nul", nul);
        ProducerRecord<byte[], byte[]> farRecord = record(topics.healthChecks(), serverId, farFuture);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(record(topics.healthChecks(), serverId, Records.healthCheck(serverId, i)));
        }
        records.add(nulRecord);
        records.add(farRecord);
        records.add(record(
                topics.connectionEvents(),
                "acct-fine",
                Records.connectionEvent(serverId, "acct-fine", AccountState.PENDING, Records.now())));
        for (int i = 5; i < 10; i++) {
            records.add(record(topics.healthChecks(), serverId, Records.healthCheck(serverId, i)));
        }

        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, "sink-refused-" + serverId)) {
            send(kafka, records);
            DataSource rows = database.dataSource();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> count(rows, "health_checks", serverId) == 10
                            && count(rows, "connection_events", serverId) == 1);

            assertThat(header(deadLetter(kafka, nulRecord.value()), DeadLetters.ERROR_HEADER))
                    .startsWith("PostgreSQL refused the row: SQLSTATE 22021");
            assertThat(header(deadLetter(kafka, farRecord.value()), DeadLetters.ERROR_HEADER))
                    .startsWith("PostgreSQL refused the row: SQLSTATE 22");
            assertThat(sink.getBean(AuditSink.class).isPaused()).isFalse();
        }
    }

    private void awaitCommittedToEnd(KafkaCluster kafka, String group) {
        List<String> audited = AuditSink.auditedTopics(topics);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (var description :
                        admin.describeTopics(audited).allTopicNames().get().values()) {
                    description
                            .partitions()
                            .forEach(p -> latest.put(
                                    new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
                }
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get();
                return ends.entrySet().stream()
                        .allMatch(end -> end.getValue().offset() == 0
                                || (committed.get(end.getKey()) != null
                                        && committed.get(end.getKey()).offset()
                                                >= end.getValue().offset()));
            });
        }
    }

    private static <V> List<ProducerRecord<byte[], byte[]>> twice(
            Topic<String, V> topic, String key, IntFunction<V> make) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(record(topic, key, make.apply(i)));
        }
        List<ProducerRecord<byte[], byte[]>> doubled = new ArrayList<>(records);
        doubled.addAll(records);
        return doubled;
    }

    static <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(
                topic.name(),
                topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    static void send(KafkaCluster kafka, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
        }
    }

    static long count(DataSource dataSource, String table, String serverId) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE server_id = ?")) {
            select.setString(1, serverId);
            ResultSet result = select.executeQuery();
            result.next();
            return result.getLong(1);
        }
    }

    private ConsumerRecord<byte[], byte[]> deadLetter(KafkaCluster kafka, byte[] value) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.deadLetters().name()));
            return await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                                    if (java.util.Arrays.equals(record.value(), value)) {
                                        return record;
                                    }
                                }
                                return null;
                            },
                            java.util.Objects::nonNull);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
