package io.wafleet.sink;

import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.MessageEvent;
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
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;

/** One poll's records, decoded by topic, with those that could not be read as dead letters. */
final class AuditBatch {

    final List<HealthCheck> healthChecks = new ArrayList<>();
    final List<ServerStats> serverStats = new ArrayList<>();
    final List<ServerMetrics> serverMetrics = new ArrayList<>();
    final List<ServerEvent> serverEvents = new ArrayList<>();
    final List<ConnectionEvent> connectionEvents = new ArrayList<>();
    final List<MessageEvent> messageEvents = new ArrayList<>();
    /** Each server's latest health record of the batch (one row per server in one upsert statement). */
    final Map<String, ServerHealthWriter.Change> serverHealth = new LinkedHashMap<>();

    final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    /** Where each decoded row came from, to dead-letter it when PostgreSQL refuses it. */
    private final Map<Object, ConsumerRecord<byte[], byte[]>> sources = new IdentityHashMap<>();
    /** The day (partition) of each row of a partitioned table. */
    private final Map<Object, LocalDate> dayOf = new IdentityHashMap<>();

    final Set<LocalDate> days = new HashSet<>();

    static AuditBatch decode(Iterable<ConsumerRecord<byte[], byte[]>> records, Topics topics, String consumer) {
        AuditBatch batch = new AuditBatch();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                batch.add(record, topics);
            } catch (SerializationException e) {
                batch.deadLetters.add(DeadLetters.of(topics.deadLetters(), record, e.getMessage(), consumer));
            } catch (java.time.DateTimeException e) {
                // Valid Avro whose time no calendar holds (a timestamp-millis near Long.MAX_VALUE).
                batch.deadLetters.add(DeadLetters.of(
                        topics.deadLetters(),
                        record,
                        "a time out of any calendar's range: " + e.getMessage(),
                        consumer));
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
            day(check, check.getCheckedAt());
            healthChecks.add(check);
            sources.put(check, record);
        } else if (topic.equals(topics.serverStats().name())) {
            ServerStats stats = topics.serverStats().valueSerde().deserializer().deserialize(topic, record.value());
            day(stats, stats.getRecordedAt());
            serverStats.add(stats);
            sources.put(stats, record);
        } else if (topic.equals(topics.serverMetrics().name())) {
            ServerMetrics metrics =
                    topics.serverMetrics().valueSerde().deserializer().deserialize(topic, record.value());
            day(metrics, metrics.getWindowStart());
            serverMetrics.add(metrics);
            sources.put(metrics, record);
        } else if (topic.equals(topics.serverEvents().name())) {
            ServerEvent event =
                    topics.serverEvents().valueSerde().deserializer().deserialize(topic, record.value());
            day(event, event.getOccurredAt());
            serverEvents.add(event);
            sources.put(event, record);
        } else if (topic.equals(topics.connectionEvents().name())) {
            ConnectionEvent event =
                    topics.connectionEvents().valueSerde().deserializer().deserialize(topic, record.value());
            day(event, event.getOccurredAt());
            connectionEvents.add(event);
            sources.put(event, record);
        } else if (topic.equals(topics.messageEvents().name())) {
            MessageEvent event =
                    topics.messageEvents().valueSerde().deserializer().deserialize(topic, record.value());
            day(event, event.getOccurredAt());
            messageEvents.add(event);
            sources.put(event, record);
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
            ServerHealthWriter.Change change = new ServerHealthWriter.Change(serverId, health, at);
            serverHealth.put(serverId, change);
            sources.put(change, record);
        }
    }

    private void day(Object row, Instant at) {
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        days.add(day);
        dayOf.put(row, day);
    }

    /**
     * The rows split into {@code parts} batches to write in parallel transactions. Connection events and health
     * records stay together in the first, in order, since each account's and server's latest record must win.
     */
    List<AuditBatch> split(int parts) {
        List<AuditBatch> split = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            List<Object> rows = new ArrayList<>();
            rows.addAll(slice(healthChecks, part, parts));
            rows.addAll(slice(serverStats, part, parts));
            rows.addAll(slice(serverMetrics, part, parts));
            rows.addAll(slice(serverEvents, part, parts));
            rows.addAll(slice(messageEvents, part, parts));
            if (part == 0) {
                rows.addAll(connectionEvents);
                rows.addAll(serverHealth.values());
            }
            split.add(subset(rows));
        }
        return split;
    }

    private static <T> List<T> slice(List<T> rows, int part, int parts) {
        int size = (rows.size() + parts - 1) / parts;
        return rows.subList(Math.min(rows.size(), part * size), Math.min(rows.size(), (part + 1) * size));
    }

    /** Every row, in the order the batch writes them. */
    List<Object> allRows() {
        List<Object> all = new ArrayList<>(rows());
        all.addAll(healthChecks);
        all.addAll(serverStats);
        all.addAll(serverMetrics);
        all.addAll(serverEvents);
        all.addAll(messageEvents);
        all.addAll(connectionEvents);
        all.addAll(serverHealth.values());
        return all;
    }

    /** A batch of only these rows of this one (nothing to commit, no dead letters): a part written on its own. */
    AuditBatch subset(List<Object> rows) {
        AuditBatch subset = new AuditBatch();
        for (Object row : rows) {
            subset.sources.put(row, sources.get(row));
            LocalDate day = dayOf.get(row);
            if (day != null) {
                subset.days.add(day);
                subset.dayOf.put(row, day);
            }
            if (row instanceof HealthCheck check) {
                subset.healthChecks.add(check);
            } else if (row instanceof ServerStats stats) {
                subset.serverStats.add(stats);
            } else if (row instanceof ServerMetrics metrics) {
                subset.serverMetrics.add(metrics);
            } else if (row instanceof ServerEvent event) {
                subset.serverEvents.add(event);
            } else if (row instanceof ConnectionEvent event) {
                subset.connectionEvents.add(event);
            } else if (row instanceof MessageEvent event) {
                subset.messageEvents.add(event);
            } else {
                ServerHealthWriter.Change change = (ServerHealthWriter.Change) row;
                subset.serverHealth.put(change.serverId(), change);
            }
        }
        return subset;
    }

    /** The record a row was read from. */
    ConsumerRecord<byte[], byte[]> source(Object row) {
        return sources.get(row);
    }

    int rows() {
        return healthChecks.size()
                + serverStats.size()
                + serverMetrics.size()
                + serverEvents.size()
                + connectionEvents.size()
                + messageEvents.size()
                + serverHealth.size();
    }
}
