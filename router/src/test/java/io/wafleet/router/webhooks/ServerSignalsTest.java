package io.wafleet.router.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerNotice;
import io.wafleet.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A server's start, and its sessions failing together, as server events and PASSIVE checks. */
class ServerSignalsTest {

    private final Topics topics = Topics.defaults();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ServerSignals signals = new ServerSignals(
            new NoticeSender(producer, topics, "router-1"), WebhookSettings.defaults(), "router-1", Clock.systemUTC());

    @Test
    void aServerThatReportsItsStartIsAServerEventAndAPassiveSignal() {
        signals.observe(notice(null, NoticeKind.SERVER_STARTED, null));

        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("SERVER_RESTARTED");
            assertThat(event.getServerId()).isEqualTo("srv-1");
        });
        assertThat(checks()).singleElement().satisfies(check -> {
            assertThat(check.getSource()).isEqualTo(CheckSource.PASSIVE);
            assertThat(check.getSuccess()).isFalse();
            assertThat(check.getProbeId()).isEqualTo("router-1");
        });
    }

    @Test
    void fiveSessionsFailingWithinAMinuteAreOneServerEventAndFourAreNone() {
        for (int i = 0; i < 4; i++) {
            signals.observe(notice("a-" + i, NoticeKind.STATUS_CHANGED, AccountState.FAILED));
            signals.observe(notice("b-" + i, NoticeKind.STATUS_CHANGED, AccountState.CONNECTED));
        }
        assertThat(events()).isEmpty();

        signals.observe(notice("a-4", NoticeKind.STATUS_CHANGED, AccountState.DISCONNECTED));
        signals.observe(notice("a-5", NoticeKind.STATUS_CHANGED, AccountState.FAILED));

        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("SESSIONS_FAILED");
            assertThat(event.getMessage()).contains("5 of its sessions failed or dropped within 1 min");
        });
        assertThat(checks()).hasSize(1);
    }

    private List<ServerEvent> events() {
        return producer.history().stream()
                .filter(record -> record.topic().equals(topics.serverEvents().name()))
                .map(record ->
                        topics.serverEvents().valueSerde().deserializer().deserialize(record.topic(), value(record)))
                .toList();
    }

    private List<HealthCheck> checks() {
        return producer.history().stream()
                .filter(record -> record.topic().equals(topics.healthChecks().name()))
                .map(record ->
                        topics.healthChecks().valueSerde().deserializer().deserialize(record.topic(), value(record)))
                .toList();
    }

    private static byte[] value(ProducerRecord<byte[], byte[]> record) {
        return record.value();
    }

    private static ServerNotice notice(String account, NoticeKind kind, AccountState state) {
        return ServerNotice.newBuilder()
                .setNoticeId("n-" + account + kind)
                .setServerId("srv-1")
                .setAccountId(account)
                .setDialect(Dialect.EVOLUTION)
                .setKind(kind)
                .setEvent(kind == NoticeKind.SERVER_STARTED ? "application.startup" : "connection.update")
                .setState(state)
                .setReason("logged out on the phone: needs a new QR")
                .setReceivedAt(Instant.now())
                .build();
    }
}
