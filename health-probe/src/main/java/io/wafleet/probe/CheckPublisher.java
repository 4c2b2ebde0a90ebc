package io.wafleet.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.EventLevel;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.ServerEvent;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes what checks produced to wa.health-checks and wa.server-stats, keyed by serverId, without blocking. */
final class CheckPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final Counter sendFailures;
    private final Counter deadLetters;
    /** The servers warned of, with the kind of failure warned of. */
    private final Map<String, ErrorKind> warned = new ConcurrentHashMap<>();

    CheckPublisher(Producer<byte[], byte[]> producer, Topics topics, MeterRegistry meters) {
        this.producer = producer;
        this.topics = topics;
        this.sendFailures = meters.counter("wafleet.probe.publish.failures");
        this.deadLetters = meters.counter("wafleet.probe.dead.letters");
    }

    /** Sends a record the probe could not use to the dead-letter topic, and counts it. */
    void deadLetter(ProducerRecord<byte[], byte[]> letter) {
        deadLetters.increment();
        send(letter);
    }

    void publish(HealthChecker.Outcome outcome) {
        String serverId = outcome.check().getServerId();
        warnOnce(outcome.check());
        send(
                topics.healthChecks().name(),
                serverId,
                topics.healthChecks()
                        .valueSerde()
                        .serializer()
                        .serialize(topics.healthChecks().name(), outcome.check()));
        outcome.stats()
                .ifPresent(stats -> send(
                        topics.serverStats().name(),
                        serverId,
                        topics.serverStats()
                                .valueSerde()
                                .serializer()
                                .serialize(topics.serverStats().name(), stats)));
    }

    /**
     * A WARNING server event when a server's checks start failing for a reason no retry changes: its address policy
     * refuses its address (outside allowedIps, or link-local / metadata), or it runs a version or tier wafleet does not
     * support. Once, not with every check, until a check fails otherwise or passes.
     */
    private void warnOnce(HealthCheck check) {
        ErrorKind kind = check.getErrorKind();
        String type = kind == ErrorKind.ADDRESS_REFUSED
                ? "SERVER_ADDRESS_REFUSED"
                : kind == ErrorKind.UNSUPPORTED_SERVER ? "SERVER_UNSUPPORTED" : null;
        if (type == null) {
            warned.remove(check.getServerId());
            return;
        }
        if (warned.put(check.getServerId(), kind) == kind) {
            return;
        }
        ServerEvent event = ServerEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(check.getServerId())
                .setLevel(EventLevel.WARNING)
                .setType(type)
                .setMessage(
                        kind == ErrorKind.ADDRESS_REFUSED
                                ? "calls to server " + check.getServerId() + " are refused: " + check.getErrorMessage()
                                : "server " + check.getServerId() + " is not supported: " + check.getErrorMessage())
                .setDetails(Map.of("errorKind", kind.name()))
                .setOccurredAt(check.getCheckedAt())
                .setSource("health-probe")
                .build();
        send(
                topics.serverEvents().name(),
                check.getServerId(),
                topics.serverEvents()
                        .valueSerde()
                        .serializer()
                        .serialize(topics.serverEvents().name(), event));
    }

    /**
     * Sends without waiting; a failure, reported later or thrown at once (the producer closed, its buffer full past
     * max.block.ms, a record too large), is counted and logged, never thrown into the probe's scheduling.
     */
    void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    sendFailures.increment();
                    LOG.warn("cannot publish to {}: {}", record.topic(), error.getMessage());
                }
            });
        } catch (RuntimeException e) {
            sendFailures.increment();
            LOG.warn("cannot publish to {}: {}", record.topic(), e.toString());
        }
    }

    private void send(String topic, String key, byte[] value) {
        send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    @Override
    public void close() {
        producer.close();
    }
}
