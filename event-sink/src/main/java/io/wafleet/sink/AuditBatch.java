package io.wafleet.sink;

import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerStats;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/** One poll's records, decoded by topic, with those that could not be read as dead letters. */
final class AuditBatch {

    final List<HealthCheck> healthChecks = new ArrayList<>();
    final List<ServerStats> serverStats = new ArrayList<>();
    final List<ServerMetrics> serverMetrics = new ArrayList<>();
    final List<ServerEvent> serverEvents = new ArrayList<>();
    final List<ConnectionEvent> connectionEvents = new ArrayList<>();
    /** Each server's latest health record of the batch (one row per server in one upsert statement). */
    final Map<String, ServerHealthWriter.Change> serverHealth = new LinkedHashMap<>();

    final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    final Set<LocalDate> days = new HashSet<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>();

    static AuditBatch decode(ConsumerRecords<byte[], byte[]> records, Topics topics, String consumer) {
        AuditBatch batch = new AuditBatch();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            batch.firstOffsets.putIfAbsent(partition, record.offset());
            batch.nextOffsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
            try {
                batch.add(record, topics);
            } catch (SerializationException e) {
                batch.deadLetters.add(DeadLetters.of(topics.deadLetters(), record, e.getMessage(), consumer));
            }
        }
        return batch;
    }

    private void add(ConsumerRecord<byte[], byte[]> record, Topics topics) {
        String topic = record.topic();
        if (topic.equals(topics.serverHealth().name())) {
            addHealth(record, topics);
            return;
        }
        if (record.value() == null) {
            throw new SerializationException("a null value (tombstone) on " + topic + " has nothing to audit");
        }
        if (topic.equals(topics.healthChecks().name())) {
            HealthCheck check =
                    topics.healthChecks().valueSerde().deserializer().deserialize(topic, record.value());
            healthChecks.add(check);
            day(check.getCheckedAt());
        } else if (topic.equals(topics.serverStats().name())) {
            ServerStats stats = topics.serverStats().valueSerde().deserializer().deserialize(topic, record.value());
            serverStats.add(stats);
            day(stats.getRecordedAt());
        } else if (topic.equals(topics.serverMetrics().name())) {
            ServerMetrics metrics =
                    topics.serverMetrics().valueSerde().deserializer().deserialize(topic, record.value());
            serverMetrics.add(metrics);
            day(metrics.getWindowStart());
        } else if (topic.equals(topics.serverEvents().name())) {
            ServerEvent event =
                    topics.serverEvents().valueSerde().deserializer().deserialize(topic, record.value());
            serverEvents.add(event);
            day(event.getOccurredAt());
        } else if (topic.equals(topics.connectionEvents().name())) {
            ConnectionEvent event =
                    topics.connectionEvents().valueSerde().deserializer().deserialize(topic, record.value());
            connectionEvents.add(event);
            day(event.getOccurredAt());
        } else {
            throw new SerializationException("the sink does not read topic " + topic);
        }
    }

    /** A server's health record, or its tombstone (the server was removed) at the record's timestamp. */
    private void addHealth(ConsumerRecord<byte[], byte[]> record, Topics topics) {
        if (record.key() == null) {
            throw new SerializationException("a health record without a server id as its key");
        }
        String serverId = topics.serverHealth().keySerde().deserializer().deserialize(record.topic(), record.key());
        ServerHealth health = record.value() == null
                ? null
                : topics.serverHealth().valueSerde().deserializer().deserialize(record.topic(), record.value());
        Instant at = health == null ? Instant.ofEpochMilli(record.timestamp()) : health.getUpdatedAt();
        ServerHealthWriter.Change before = serverHealth.get(serverId);
        if (before == null || !at.isBefore(before.at())) {
            serverHealth.put(serverId, new ServerHealthWriter.Change(serverId, health, at));
        }
    }

    private void day(Instant at) {
        days.add(at.atZone(ZoneOffset.UTC).toLocalDate());
    }

    /** Where each partition's consumption goes on once this batch is written. */
    Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        return nextOffsets;
    }

    /** The first offset of each partition in this batch, to read it again when the batch is abandoned. */
    Map<TopicPartition, Long> firstOffsets() {
        return firstOffsets;
    }

    /**
     * The rows split into {@code parts} batches to write in parallel transactions. Connection events and health
     * records stay together in the first, in order, since each account's and server's latest record must win.
     */
    List<AuditBatch> split(int parts) {
        List<AuditBatch> split = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            AuditBatch slice = new AuditBatch();
            slice.days.addAll(days);
            slice.healthChecks.addAll(slice(healthChecks, part, parts));
            slice.serverStats.addAll(slice(serverStats, part, parts));
            slice.serverMetrics.addAll(slice(serverMetrics, part, parts));
            slice.serverEvents.addAll(slice(serverEvents, part, parts));
            if (part == 0) {
                slice.connectionEvents.addAll(connectionEvents);
                slice.serverHealth.putAll(serverHealth);
            }
            split.add(slice);
        }
        return split;
    }

    private static <T> List<T> slice(List<T> rows, int part, int parts) {
        int size = (rows.size() + parts - 1) / parts;
        return rows.subList(Math.min(rows.size(), part * size), Math.min(rows.size(), (part + 1) * size));
    }

    int rows() {
        return healthChecks.size()
                + serverStats.size()
                + serverMetrics.size()
                + serverEvents.size()
                + connectionEvents.size()
                + serverHealth.size();
    }
}
