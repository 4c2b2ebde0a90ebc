package io.wafleet.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka serde for one Avro record class in the Confluent wire format: magic byte {@code 0}, the writer schema's
 * registry id (4 bytes, big-endian), the Avro binary body. Writes it (or single-object encoding, while a fleet
 * switches over); reads it, the writer schema fetched from the registry by id once and resolved into the current
 * class, and reads single-object encoding (and JSON where the topic takes it) as {@link AvroSerde} does. A writer id
 * the registry does not know is a {@link SerializationException} (a dead letter); while the registry cannot be
 * reached, a record with an id not seen before waits for it (retried with back-off, logged once), so the stream
 * pauses and goes on, and nothing is lost.
 */
final class ConfluentSerde<T extends SpecificRecord> extends RecordSerde<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentSerde.class);
    private static final byte MAGIC = 0;
    private static final int HEADER_LENGTH = 5;
    private static final Duration RETRY_INITIAL = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private final Class<T> type;
    private final SpecificData model;
    private final Schema schema;
    private final int writerId;
    private final boolean writeConfluent;
    private final SchemaRegistryClient registry;
    private final AvroSerde<T> otherEncodings;
    private final DatumWriter<T> writer;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    ConfluentSerde(
            Class<T> type,
            int writerId,
            boolean writeConfluent,
            SchemaRegistryClient registry,
            AvroSerde<T> otherEncodings) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.writerId = writerId;
        this.writeConfluent = writeConfluent;
        this.registry = registry;
        this.otherEncodings = otherEncodings;
        this.writer = new SpecificDatumWriter<>(schema, model);
        // Its own id names the current schema: read without asking the registry.
        readers.put(writerId, new SpecificDatumReader<>(schema, schema, model));
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (!writeConfluent) {
            return otherEncodings.serialize(topic, data);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(writerId).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot encode %s for topic %s: %s".formatted(type.getSimpleName(), topic, e), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null || data.length == 0 || data[0] != MAGIC) {
            return otherEncodings.deserialize(topic, data);
        }
        if (data.length < HEADER_LENGTH) {
            throw failure(
                    topic, "value of %d bytes is shorter than the 5-byte Confluent header".formatted(data.length));
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        DatumReader<T> reader = readers.get(id);
        if (reader == null) {
            reader = new SpecificDatumReader<>(writerSchema(topic, id), schema, model);
            readers.putIfAbsent(id, reader);
        }
        try {
            BinaryDecoder decoder =
                    DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw failure(
                    topic,
                    "truncated or corrupt record body, or writer schema id %d not readable as %s (%s)"
                            .formatted(id, type.getSimpleName(), e));
        }
    }

    /** The writer schema with this id: from the registry, waited for while it cannot be reached. */
    private Schema writerSchema(String topic, int id) {
        Duration backoff = RETRY_INITIAL;
        boolean logged = false;
        while (true) {
            try {
                Schema writerSchema = registry.schema(id);
                if (logged) {
                    LOG.info("the schema registry answered again; reading {} goes on", topic);
                }
                return writerSchema;
            } catch (SchemaRegistryClient.Refused e) {
                throw failure(
                        topic,
                        "writer schema id %d is unknown to the schema registry at %s (%s)"
                                .formatted(id, registry.where(), e.getMessage()));
            } catch (SchemaRegistryClient.Unavailable e) {
                if (!logged) {
                    LOG.warn(
                            "cannot read {} from {}: writer schema id {} is new here and {}; waiting for the registry",
                            type.getSimpleName(),
                            topic,
                            id,
                            e.getMessage());
                    logged = true;
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    // Not a dead letter: the record is read again by whoever reads next.
                    throw new InterruptException(interrupted);
                }
                backoff = backoff.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : backoff.multipliedBy(2);
            }
        }
    }

    private SerializationException failure(String topic, String what) {
        return new SerializationException(
                "cannot decode %s from topic %s: %s".formatted(type.getSimpleName(), topic, what));
    }
}
