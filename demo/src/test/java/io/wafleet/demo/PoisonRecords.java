package io.wafleet.demo;

import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.HealthCheck;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * A poison record of every kind on every consumed topic, and the dead letters the services made of them: garbage
 * bytes, valid Avro with absurd values, NUL characters, a check dated a year ahead, a 900 KB string. Each record is
 * known by where it landed (topic, partition, offset); a dead letter names the same in its headers. A check dated a
 * year ahead is valid: the aggregator counts it at its broker time (bounded skew), the audit keeps it as sent.
 */
final class PoisonRecords {

    /** A poison record sent, and whether some consumer must dead-letter it (others it must simply survive). */
    record Sent(String kind, String topic, int partition, long offset, boolean deadLettered) {
        String where() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    private final Topics topics;
    private final Random random = new Random(18);
    /** Dead letters read, by where the record they hold came from, with the reason. */
    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    PoisonRecords(Topics topics) {
        this.topics = topics;
    }

    /** Sends every kind of poison; {@code serverId} is a real server, so that its checks reach every stage. */
    List<Sent> send(KafkaProducer<byte[], byte[]> producer, String serverId) throws Exception {
        List<Sent> sent = new ArrayList<>();
        for (Topic<?, ?> topic : List.of(
                topics.connectionRequests(),
                topics.healthChecks(),
                topics.serverStats(),
                topics.serverMetrics(),
                topics.serverEvents(),
                topics.connectionEvents(),
                topics.serverConfigs())) {
            sent.add(send(producer, "garbage bytes", topic.name(), "poison-" + topic.name(), garbage(), true));
        }
        sent.add(
                send(producer, "NUL in accountName", topics.connectionRequests(), request("name\u0000with nul"), true));
        sent.add(send(
                producer, "900 KB accountName", topics.connectionRequests(), request("n".repeat(900 * 1024)), true));
        Instant now = Instant.now();
        sent.add(send(
                producer,
                "checkedAt a year ahead",
                topics.healthChecks(),
                serverId,
                check(serverId, now.plus(365, ChronoUnit.DAYS), 1_000, null),
                false));
        sent.add(send(
                producer,
                "NUL in errorMessage",
                topics.healthChecks(),
                serverId,
                check(serverId, now, 1_000, "broken\u0000message"),
                true));
        sent.add(send(
                producer,
                "absurd latency (Long.MAX_VALUE µs)",
                topics.healthChecks(),
                serverId,
                check(serverId, now, Long.MAX_VALUE, null),
                false));
        producer.flush();
        return sent;
    }

    /** Takes in a record of wa.dead-letters. */
    void collect(ConsumerRecord<byte[], byte[]> letter) {
        String where = header(letter, DeadLetters.TOPIC_HEADER) + "-" + header(letter, DeadLetters.PARTITION_HEADER)
                + "@" + header(letter, DeadLetters.OFFSET_HEADER);
        reasons.merge(where, header(letter, DeadLetters.ERROR_HEADER), (a, b) -> a);
    }

    /** The reason a dead letter gave for this record, or null when there is none (yet). */
    String reason(Sent record) {
        return reasons.get(record.where());
    }

    private <V> Sent send(
            KafkaProducer<byte[], byte[]> producer,
            String kind,
            Topic<String, V> topic,
            String key,
            V value,
            boolean deadLettered)
            throws Exception {
        return send(
                producer,
                kind,
                topic.name(),
                key,
                topic.valueSerde().serializer().serialize(topic.name(), value),
                deadLettered);
    }

    private Sent send(
            KafkaProducer<byte[], byte[]> producer,
            String kind,
            Topic<String, ConnectionRequest> topic,
            ConnectionRequest request,
            boolean deadLettered)
            throws Exception {
        return send(producer, kind, topic, request.getAccountId(), request, deadLettered);
    }

    private static Sent send(
            KafkaProducer<byte[], byte[]> producer,
            String kind,
            String topic,
            String key,
            byte[] value,
            boolean deadLettered)
            throws Exception {
        RecordMetadata landed = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                .get();
        return new Sent(kind, topic, landed.partition(), landed.offset(), deadLettered);
    }

    private byte[] garbage() {
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        return bytes;
    }

    private static ConnectionRequest request(String accountName) {
        return ConnectionRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAccountId("poison-" + UUID.randomUUID().toString().substring(0, 8))
                .setAccountName(accountName)
                .setAction(ConnectionAction.CONNECT)
                .build();
    }

    private static HealthCheck check(String serverId, Instant checkedAt, long latencyMicros, String error) {
        return HealthCheck.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(serverId)
                .setProbeId("poison-probe")
                .setSource(CheckSource.ACTIVE)
                .setCheckedAt(checkedAt)
                .setLatencyMicros(latencyMicros)
                .setSuccess(error == null)
                .setHttpStatus(error == null ? 200 : 503)
                .setErrorKind(null)
                .setErrorMessage(error)
                .setAttempts(1)
                .setReport(null)
                .build();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
