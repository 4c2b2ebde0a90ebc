package io.wafleet.sink;

import static io.wafleet.sink.AuditSinkIntegrationTest.count;
import static io.wafleet.sink.AuditSinkIntegrationTest.record;
import static io.wafleet.sink.AuditSinkIntegrationTest.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.platform.FreePorts;
import io.wafleet.platform.faults.BlackHoleProxy;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** PostgreSQL stopped for 20 s and started again: the sink pauses, retries, resumes; every row once. */
@WafleetIntegrationTest
class DatabaseOutageTest {

    private final Topics topics = Topics.defaults();

    @Test
    void everyRowArrivesOnceAfterPostgresIsDownFor20Seconds(KafkaCluster kafka, @TempDir Path folder) throws Exception {
        int port = FreePorts.any();
        String serverId = "srv-" + UUID.randomUUID();
        EmbeddedPostgres postgres = EmbeddedPostgres.start(folder, port);
        var database = postgres.database();
        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, "sink-outage-" + serverId)) {
            AuditSink auditSink = sink.getBean(AuditSink.class);
            send(kafka, checks(serverId, 0, 200));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> count(database.dataSource(), "health_checks", serverId) == 200);

            postgres.close();
            send(kafka, checks(serverId, 200, 400));
            await().atMost(Duration.ofSeconds(30)).until(auditSink::isPaused);
            // The outage lasts 20 s, and the sink stays paused through all of it.
            await().during(Duration.ofSeconds(20))
                    .atMost(Duration.ofSeconds(25))
                    .until(auditSink::isPaused);

            postgres = EmbeddedPostgres.start(folder, port);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> count(database.dataSource(), "health_checks", serverId) == 400);
            assertThat(auditSink.isPaused()).isFalse();
            try (Connection connection = database.dataSource().getConnection();
                    ResultSet distinct = connection
                            .createStatement()
                            .executeQuery(
                                    "SELECT count(DISTINCT event_id), count(*) FROM health_checks WHERE server_id = '"
                                            + serverId + "'")) {
                distinct.next();
                assertThat(distinct.getLong(1)).isEqualTo(400);
                assertThat(distinct.getLong(2)).isEqualTo(400);
            }
        } finally {
            postgres.close();
        }
    }

    @Test
    void aDatabaseThatStopsAnsweringIsGivenUpOnAfterTheSocketTimeoutAndEveryRowArrivesOnceAfter(
            KafkaCluster kafka, PostgresDatabase server) throws Exception {
        PostgresDatabase direct = server.createFreshDatabase("sink_black_hole");
        java.util.regex.Matcher hostPort =
                java.util.regex.Pattern.compile("//([^/:]+):(\\d+)/").matcher(direct.jdbcUrl());
        assertThat(hostPort.find()).isTrue();
        String serverId = "srv-" + UUID.randomUUID();
        try (BlackHoleProxy proxy = new BlackHoleProxy(Integer.parseInt(hostPort.group(2)))) {
            PostgresDatabase proxied = new PostgresDatabase(
                    direct.jdbcUrl().replace(hostPort.group(0), "//127.0.0.1:" + proxy.port() + "/"),
                    direct.user(),
                    direct.password());
            try (ConfigurableApplicationContext sink = SinkInstance.start(
                    kafka,
                    proxied,
                    "sink-black-hole-" + serverId,
                    "spring.datasource.hikari.data-source-properties.socketTimeout=3")) {
                AuditSink auditSink = sink.getBean(AuditSink.class);
                send(kafka, checks(serverId, 0, 200));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> count(direct.dataSource(), "health_checks", serverId) == 200);

                proxy.swallow();
                send(kafka, checks(serverId, 200, 400));
                // Without a socket timeout the write would wait for an answer that never comes.
                await().atMost(Duration.ofSeconds(30)).until(auditSink::isPaused);
                await().during(Duration.ofSeconds(15))
                        .atMost(Duration.ofSeconds(20))
                        .until(auditSink::isPaused);

                proxy.heal();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> count(direct.dataSource(), "health_checks", serverId) == 400);
                try (Connection connection = direct.dataSource().getConnection();
                        ResultSet distinct = connection
                                .createStatement()
                                .executeQuery("SELECT count(DISTINCT event_id), count(*) FROM health_checks"
                                        + " WHERE server_id = '" + serverId + "'")) {
                    distinct.next();
                    assertThat(distinct.getLong(1)).isEqualTo(400);
                    assertThat(distinct.getLong(2)).isEqualTo(400);
                }
            }
        }
    }

    private List<ProducerRecord<byte[], byte[]>> checks(String serverId, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(record(topics.healthChecks(), serverId, Records.healthCheck(serverId, i)));
        }
        return records;
    }
}
