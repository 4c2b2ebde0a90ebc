package io.wafleet.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service does with the registry at start, for each topic's value record: the subject {@code <topic>-value}
 * (the topic-name strategy) gets the compatibility the build's schema-evolution test enforces ({@code
 * FULL_TRANSITIVE}), then every published version of the record, oldest first, and the current one; the current
 * one's id is what producers write. A schema the registry refuses (three times: services starting together race to
 * create a subject) fails start-up with the registry's reason; a
 * registry that does not answer is waited for up to the settings' {@code startupWait}, then start-up fails too (the
 * service exits and its supervisor starts it again).
 */
final class SchemaRegistration {

    /** The level {@link SchemaEvolution} checks in the build: every version backward and forward with every other. */
    static final String COMPATIBILITY = "FULL_TRANSITIVE";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int REFUSALS_BEFORE_GIVING_UP = 3;

    private final SchemaRegistrySettings settings;
    private final SchemaRegistryClient registry;

    SchemaRegistration(SchemaRegistrySettings settings, SchemaRegistryClient registry) {
        this.settings = settings;
        this.registry = registry;
    }

    /** A serde for the topic's values in registry mode; registers the record's schemas first. */
    <T extends SpecificRecord> ConfluentSerde<T> serde(String topic, Class<T> type, AvroSerde<T> otherEncodings) {
        String subject = topic + "-value";
        int id = register(subject, type);
        return new ConfluentSerde<>(type, id, settings.writeConfluent(), registry, otherEncodings);
    }

    private int register(String subject, Class<? extends SpecificRecord> type) {
        long deadline = System.nanoTime() + settings.startupWait().toNanos();
        int refusals = 0;
        while (true) {
            try {
                return registerNow(subject, type);
            } catch (SchemaRegistryClient.Refused e) {
                // Services starting together race to create a subject: a registry may refuse the loser with a
                // conflict ("already exists", Apicurio's 409) that is gone when it tries again. A real refusal stays.
                if (++refusals < REFUSALS_BEFORE_GIVING_UP) {
                    LOG.info("{}; trying again", e.getMessage());
                    sleep();
                    continue;
                }
                throw new IllegalStateException(
                        "the schema registry refused the schemas of " + type.getSimpleName() + " under subject "
                                + subject + ": " + e.getMessage(),
                        null);
            } catch (SchemaRegistryClient.Unavailable e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the schema registry did not answer within "
                                    + settings.startupWait().toSeconds() + " s at start: " + e.getMessage(),
                            null);
                }
                LOG.warn("{}; trying again", e.getMessage());
                sleep();
            }
        }
    }

    private int registerNow(String subject, Class<? extends SpecificRecord> type) {
        registry.compatibility(subject, COMPATIBILITY);
        int id = -1;
        for (Schema version : versions(type)) {
            id = registry.register(subject, version);
        }
        return id;
    }

    /** The published versions of the record and the current one, oldest first, each once. */
    static List<Schema> versions(Class<? extends SpecificRecord> type) {
        Map<Long, Schema> byFingerprint = new LinkedHashMap<>();
        for (Schema version : SchemaHistory.versions(type.getSimpleName())) {
            byFingerprint.putIfAbsent(SchemaNormalization.parsingFingerprint64(version), version);
        }
        Schema current = SpecificData.getForClass(type).getSchema(type);
        // The current one last, even when it equals a published version in canonical form.
        byFingerprint.remove(SchemaNormalization.parsingFingerprint64(current));
        List<Schema> versions = new ArrayList<>(byFingerprint.values());
        versions.add(current);
        return versions;
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema registry", e);
        }
    }
}
