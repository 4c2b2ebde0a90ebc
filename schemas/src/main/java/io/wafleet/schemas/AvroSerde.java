package io.wafleet.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Kafka serde for one Avro record class in Avro single-object encoding ({@code C3 01}, 8-byte CRC-64-AVRO
 * fingerprint, binary body). Reads every published writer version into the current class by schema resolution;
 * optionally reads UTF-8 JSON values too. Null stays null (tombstones).
 */
public final class AvroSerde<T extends SpecificRecord> extends RecordSerde<T> {

    private static final int HEADER_LENGTH = 10;

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final JsonRecordReader<T> jsonReader;
    private final String knownFingerprints;

    private AvroSerde(Class<T> type, Collection<Schema> writerSchemas, boolean acceptJson) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        writerSchemas.forEach(decoder::addSchema);
        this.jsonReader = acceptJson ? new JsonRecordReader<>(model, schema) : null;
        Set<String> known = new LinkedHashSet<>();
        writerSchemas.forEach(writer -> known.add(fingerprintHex(writer)));
        known.add(fingerprintHex(schema));
        this.knownFingerprints = String.join(", ", known);
    }

    /** A serde that reads the current schema and every published version of it. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, SchemaHistory.versions(type.getSimpleName()), false);
    }

    /** As {@link #of}, and also reads values that start with '{' as UTF-8 JSON of the record's fields. */
    public static <T extends SpecificRecord> AvroSerde<T> withJson(Class<T> type) {
        return new AvroSerde<>(type, SchemaHistory.versions(type.getSimpleName()), true);
    }

    /** A serde that also knows the given writer schemas, e.g. versions kept outside this jar. */
    public static <T extends SpecificRecord> AvroSerde<T> withWriterSchemas(Class<T> type, Collection<Schema> extra) {
        List<Schema> schemas = new ArrayList<>(SchemaHistory.versions(type.getSimpleName()));
        schemas.addAll(extra);
        return new AvroSerde<>(type, schemas, false);
    }

    /** The schema records are written with. */
    public Schema schema() {
        return schema;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot encode %s for topic %s: %s".formatted(type.getSimpleName(), topic, describe(e)), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (jsonReader != null && data.length > 0 && data[0] == '{') {
            return jsonReader.read(topic, data);
        }
        if (data.length < HEADER_LENGTH) {
            throw failure(
                    topic,
                    "value of %d bytes is shorter than the 10-byte single-object header".formatted(data.length),
                    null);
        }
        try {
            return decoder.decode(data);
        } catch (BadHeaderException e) {
            throw failure(
                    topic,
                    "not Avro single-object encoded: expected marker C3 01, found %s"
                            .formatted(HexFormat.of().formatHex(data, 0, 2).toUpperCase()),
                    e);
        } catch (MissingSchemaException e) {
            throw failure(
                    topic,
                    "unknown writer schema fingerprint %s; this reader knows %s"
                            .formatted(HexFormat.of().formatHex(data, 2, HEADER_LENGTH), knownFingerprints),
                    e);
        } catch (IOException | RuntimeException e) {
            // Avro reports a corrupt body in many ways (EOF, negative or huge lengths, bad union index).
            throw failure(topic, "truncated or corrupt record body (%s)".formatted(describe(e)), e);
        }
    }

    private SerializationException failure(String topic, String what, Exception cause) {
        return new SerializationException(
                "cannot decode %s from topic %s: %s".formatted(type.getSimpleName(), topic, what), cause);
    }

    /** The 8 fingerprint bytes of the single-object header, as hex in wire order. */
    static String fingerprintHex(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        byte[] littleEndian = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(fingerprint)
                .array();
        return HexFormat.of().formatHex(littleEndian);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
