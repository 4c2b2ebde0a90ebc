package io.wafleet.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topics;
import io.wafleet.service.TopicListener;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The audit sink: consumes wa.health-checks, wa.server-stats, wa.server-metrics, wa.server-events,
 * wa.connection-events and wa.server-health (the live table, into server_health), writes each poll in one database
 * transaction, then sends what it could not read to wa.dead-letters; the container then commits the offsets (ack mode
 * BATCH). While PostgreSQL fails the listener throws, and the container's error handler pauses the consumer and tries
 * the same batch again with backoff (polling meanwhile keeps the group membership, and partitions assigned meanwhile
 * stay paused); it never skips a record. A row PostgreSQL refuses for what it holds goes to wa.dead-letters with the
 * reason, and the rest of its batch is written ({@link RefusedRows}).
 */
final class AuditSink extends TopicListener<byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);

    private final Producer<byte[], byte[]> producer;
    private final AuditStore store;
    private final Topics topics;
    private final SinkProperties properties;
    private final Counter rows;
    private final Counter deadLetters;
    private final Counter databaseFailures;
    private volatile boolean paused;

    AuditSink(
            ConsumerFactory<byte[], byte[]> consumers,
            Producer<byte[], byte[]> producer,
            AuditStore store,
            Topics topics,
            SinkProperties properties,
            MeterRegistry meters) {
        super("audit-sink", consumers);
        this.producer = producer;
        this.store = store;
        this.topics = topics;
        this.properties = properties;
        this.rows = meters.counter("wafleet.sink.rows");
        this.deadLetters = meters.counter("wafleet.sink.dead.letters");
        this.databaseFailures = meters.counter("wafleet.sink.database.failures");
        meters.gauge("wafleet.sink.paused", this, sink -> sink.paused ? 1 : 0);
        // The consumer's own metrics, records-lag-max among them: how far the audit trail is behind the topics.
        consumers.addListener(new MicrometerConsumerListener<>(meters));
    }

    /** True while database writes fail and consumption is paused. */
    boolean isPaused() {
        return paused;
    }

    @Override
    protected ContainerProperties properties() {
        ContainerProperties container =
                new ContainerProperties(auditedTopics(topics).toArray(String[]::new));
        container.setAckMode(ContainerProperties.AckMode.BATCH);
        container.setPollTimeout(properties.pollTimeout().toMillis());
        container.setMessageListener((BatchMessageListener<byte[], byte[]>) this::process);
        return container;
    }

    /** A batch that cannot be written is tried again for as long as it takes, 200 ms doubling to the maximum apart. */
    @Override
    protected BackOff listenerBackOff() {
        ExponentialBackOff backOff =
                new ExponentialBackOff(properties.retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMax().toMillis());
        return backOff;
    }

    /** The topics the sink writes into PostgreSQL. */
    static List<String> auditedTopics(Topics topics) {
        return List.of(
                topics.healthChecks().name(),
                topics.serverStats().name(),
                topics.serverMetrics().name(),
                topics.serverEvents().name(),
                topics.connectionEvents().name(),
                topics.serverHealth().name(),
                topics.messageEvents().name());
    }

    @Override
    protected void stopped() {
        producer.close();
    }

    private void process(List<ConsumerRecord<byte[], byte[]>> records) {
        AuditBatch batch = AuditBatch.decode(records, topics, properties.groupId());
        try {
            writeAround(batch);
        } catch (SQLException | RuntimeException e) {
            databaseFailures.increment();
            LOG.warn("audit write of {} rows failed ({}); retrying with backoff", batch.rows(), e.getMessage());
            paused = true;
            throw new DatabaseFailing(e);
        }
        if (paused) {
            paused = false;
            LOG.info("PostgreSQL is back; audit sink resumed");
        }
        sendDeadLetters(batch.deadLetters);
        rows.increment(batch.rows());
    }

    /** The database did not take a batch; the container tries it again. */
    private static final class DatabaseFailing extends RuntimeException {
        DatabaseFailing(Exception cause) {
            super("database writes failing: " + cause.getMessage(), cause);
        }
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
}
