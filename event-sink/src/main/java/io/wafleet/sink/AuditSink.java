package io.wafleet.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.wafleet.schemas.ConsumerLoop;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit sink: consumes wa.health-checks, wa.server-stats, wa.server-metrics, wa.server-events,
 * wa.connection-events and wa.server-health (the live table, into server_health), writes each poll in one database transaction, then sends what it could not read to
 * wa.dead-letters, then commits the offsets. While PostgreSQL fails it pauses and retries with backoff; it never
 * skips a record. A row PostgreSQL refuses for what it holds goes to wa.dead-letters with the reason, and the rest of
 * its batch is written ({@link RefusedRows}).
 */
final class AuditSink extends ConsumerLoop {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final AuditStore store;
    private final Topics topics;
    private final SinkProperties properties;
    private final AtomicBoolean revoked = new AtomicBoolean();
    private final Counter rows;
    private final Counter deadLetters;
    private final Counter databaseFailures;
    private final KafkaClientMetrics consumerMetrics;
    private volatile boolean paused;

    AuditSink(
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            AuditStore store,
            Topics topics,
            SinkProperties properties,
            MeterRegistry meters) {
        super(consumer, "audit-sink");
        this.consumer = consumer;
        this.producer = producer;
        this.store = store;
        this.topics = topics;
        this.properties = properties;
        this.rows = meters.counter("wafleet.sink.rows");
        this.deadLetters = meters.counter("wafleet.sink.dead.letters");
        this.databaseFailures = meters.counter("wafleet.sink.database.failures");
        meters.gauge("wafleet.sink.paused", this, sink -> sink.paused ? 1 : 0);
        // The consumer's own metrics, records-lag-max among them: how far the audit trail is behind the topics.
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(meters);
    }

    /** True while database writes fail and consumption is paused. */
    boolean isPaused() {
        return paused;
    }

    /** What was read but not committed is read again: the records of an unfinished batch are not skipped. */
    @Override
    protected void beforeRetry() {
        rewindToCommitted();
    }

    @Override
    protected void run() {
        consumer.subscribe(auditedTopics(topics), new Rebalance());
        while (running()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(properties.pollTimeout());
            if (records.isEmpty()) {
                continue;
            }
            process(AuditBatch.decode(records, topics, properties.groupId()));
        }
    }

    /** The topics the sink writes into PostgreSQL. */
    static List<String> auditedTopics(Topics topics) {
        return List.of(
                topics.healthChecks().name(),
                topics.serverStats().name(),
                topics.serverMetrics().name(),
                topics.serverEvents().name(),
                topics.connectionEvents().name(),
                topics.serverHealth().name());
    }

    @Override
    protected void close() {
        consumerMetrics.close();
        super.close();
        producer.close();
    }

    private void process(AuditBatch batch) {
        revoked.set(false);
        if (!writeWithRetry(batch)) {
            if (running()) {
                rewind(batch);
            }
            return;
        }
        sendDeadLetters(batch.deadLetters);
        consumer.commitSync(batch.nextOffsets());
        rows.increment(batch.rows());
    }

    /** True once written; false when the sink stops or loses partitions while the database is failing. */
    private boolean writeWithRetry(AuditBatch batch) {
        Duration backoff = properties.retryInitial();
        while (running()) {
            try {
                writeAround(batch);
                if (paused) {
                    consumer.resume(consumer.assignment());
                    paused = false;
                    LOG.info("PostgreSQL is back; audit sink resumed");
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                databaseFailures.increment();
                LOG.warn(
                        "audit write of {} rows failed ({}); retrying in {} ms",
                        batch.rows(),
                        e.getMessage(),
                        backoff.toMillis());
                paused = true;
                consumer.pause(consumer.assignment());
                // Polling while paused keeps the group membership alive and waits out the backoff.
                ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(backoff);
                if (!unexpected.isEmpty()) {
                    // Records of a partition that was not paused in time: read them again later.
                    unexpected
                            .partitions()
                            .forEach(partition -> consumer.seek(
                                    partition,
                                    unexpected.records(partition).get(0).offset()));
                    return false;
                }
                if (revoked.get()) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(properties.retryMax()) > 0
                        ? properties.retryMax()
                        : backoff.multipliedBy(2);
            }
        }
        return false;
    }

    /**
     * Writes the batch; when PostgreSQL refuses rows for what they hold (SQLSTATE class 22 or 23), every other row is
     * written and each refused one becomes a dead letter with PostgreSQL's reason. Any other failure is thrown.
     */
    private void writeAround(AuditBatch batch) throws SQLException {
        try {
            store.write(batch);
        } catch (SQLException e) {
            if (!RefusedRows.isRefusal(e)) {
                throw e;
            }
            List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
            for (RefusedRows.Refused refused : RefusedRows.writeAround(store, batch, e)) {
                LOG.warn(
                        "row of {}/{} refused: {}; sent to {}",
                        refused.source().topic(),
                        refused.source().offset(),
                        refused.reason(),
                        topics.deadLetters().name());
                letters.add(
                        DeadLetters.of(topics.deadLetters(), refused.source(), refused.reason(), properties.groupId()));
            }
            batch.deadLetters.addAll(letters);
        }
    }

    /** Reads an abandoned batch again from its start, on the partitions this sink still has. */
    private void rewind(AuditBatch batch) {
        for (Map.Entry<TopicPartition, Long> first : batch.firstOffsets().entrySet()) {
            if (consumer.assignment().contains(first.getKey())) {
                consumer.seek(first.getKey(), first.getValue());
            }
        }
    }

    private void sendDeadLetters(List<ProducerRecord<byte[], byte[]>> letters) {
        try {
            for (ProducerRecord<byte[], byte[]> letter : letters) {
                producer.send(letter).get();
                deadLetters.increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while sending dead letters", e);
        } catch (ExecutionException e) {
            throw new KafkaException("cannot send dead letters: " + e.getCause().getMessage(), e);
        }
    }

    /** Partitions assigned while the database is failing stay paused; a revocation abandons the current batch. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revoked.set(true);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
        }
    }
}
