package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips, schema resolution across versions, and clear errors on bad input. */
class AvroSerdeTest {

    private static final String TOPIC = "wa.health-checks";

    static List<SpecificRecord> samples() {
        return SampleRecords.all();
    }

    @ParameterizedTest
    @MethodSource("samples")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordRoundTripsThroughItsSerde(SpecificRecord record) {
        AvroSerde serde = AvroSerde.of(record.getClass());

        byte[] bytes = serde.serialize("topic", record);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(serde.deserialize("topic", bytes)).isEqualTo(record);
    }

    @Test
    void everyTopicValueHasASample() {
        assertThat(samples()).extracting(Object::getClass).containsExactlyElementsOf(RecordTypes.TOPIC_VALUES);
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerde<HealthCheck> serde = AvroSerde.of(HealthCheck.class);

        assertThat(serde.serialize(TOPIC, null)).isNull();
        assertThat(serde.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void aRecordOfAnOlderWriterVersionIsReadIntoTheCurrentClass() throws IOException {
        Schema older = olderHealthCheck();
        byte[] bytes = writtenByOlderVersion(older);

        HealthCheck read =
                AvroSerde.withWriterSchemas(HealthCheck.class, List.of(older)).deserialize(TOPIC, bytes);

        assertThat(read.getEventId()).isEqualTo("e-1");
        assertThat(read.getCheckedAt()).isEqualTo(SampleRecords.AT);
        assertThat(read.getLatencyMicros()).isEqualTo(4_200L);
        assertThat(read.getErrorKind()).isEqualTo(ErrorKind.TIMEOUT);
        // Fields the older writer did not have take the current schema's defaults.
        assertThat(read.getSource()).isEqualTo(CheckSource.ACTIVE);
        assertThat(read.getAttempts()).isEqualTo(1);
        assertThat(read.getReport()).isNull();
    }

    @Test
    void aRecordOfTheCurrentVersionIsReadByAnOlderReader() throws IOException {
        Schema older = olderHealthCheck();
        byte[] bytes = AvroSerde.of(HealthCheck.class).serialize(TOPIC, SampleRecords.failedCheck());
        BinaryMessageDecoder<GenericRecord> olderReader = new BinaryMessageDecoder<>(GenericData.get(), older);
        olderReader.addSchema(AvroSerde.of(HealthCheck.class).schema());

        GenericRecord read = olderReader.decode(bytes);

        assertThat(read.get("serverId")).hasToString("srv-1");
        assertThat(read.get("errorKind")).hasToString("TIMEOUT");
    }

    @Test
    void anUnknownFingerprintNamesTheTopicAndTheFingerprint() throws IOException {
        Schema older = olderHealthCheck();
        byte[] bytes = writtenByOlderVersion(older);

        assertThatThrownBy(() -> AvroSerde.of(HealthCheck.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("HealthCheck")
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("unknown writer schema fingerprint " + AvroSerde.fingerprintHex(older));
    }

    @Test
    void randomBytesGetAClearError() {
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x17;

        assertThatThrownBy(() -> AvroSerde.of(HealthCheck.class).deserialize(TOPIC, garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("not Avro single-object encoded: expected marker C3 01, found 17");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9})
    void aValueShorterThanTheHeaderGetsAClearError(int length) {
        byte[] bytes =
                Arrays.copyOf(AvroSerde.of(HealthCheck.class).serialize(TOPIC, SampleRecords.healthCheck()), length);

        assertThatThrownBy(() -> AvroSerde.of(HealthCheck.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("shorter than the 10-byte single-object header");
    }

    @Test
    void aTruncatedBodyGetsAClearError() {
        byte[] whole = AvroSerde.of(HealthCheck.class).serialize(TOPIC, SampleRecords.healthCheck());
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> AvroSerde.of(HealthCheck.class).deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("truncated or corrupt record body");
    }

    @Test
    void randomBytesBehindAValidHeaderGetAClearError() {
        byte[] whole = AvroSerde.of(HealthCheck.class).serialize(TOPIC, SampleRecords.healthCheck());
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] corrupt = Arrays.copyOf(whole, whole.length);
            byte[] body = new byte[corrupt.length - 10];
            random.nextBytes(body);
            System.arraycopy(body, 0, corrupt, 10, body.length);

            try {
                AvroSerde.of(HealthCheck.class).deserialize(TOPIC, corrupt);
            } catch (SerializationException expected) {
                assertThat(expected).hasMessageContaining(TOPIC).hasMessageContaining("truncated or corrupt");
            }
        }
    }

    @Test
    void aRecordMissingARequiredFieldCannotBeEncoded() {
        HealthCheck incomplete = SampleRecords.healthCheck();
        incomplete.setServerId(null);

        assertThatThrownBy(() -> AvroSerde.of(HealthCheck.class).serialize(TOPIC, incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot encode HealthCheck for topic " + TOPIC);
    }

    /** A HealthCheck as an earlier release wrote it: no source, attempts, errorMessage nor report. */
    private static Schema olderHealthCheck() throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream("/fixtures/HealthCheck-older.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    /** A failed check as the older version writes it, single-object encoded with that version's fingerprint. */
    private static byte[] writtenByOlderVersion(Schema older) throws IOException {
        GenericRecord written = new GenericData.Record(older);
        written.put("eventId", "e-1");
        written.put("serverId", "srv-1");
        written.put("probeId", "probe-a");
        written.put("checkedAt", SampleRecords.AT.toEpochMilli());
        written.put("latencyMicros", 4_200L);
        written.put("success", false);
        Schema errorKind = older.getField("errorKind").schema().getTypes().get(1);
        written.put("errorKind", new GenericData.EnumSymbol(errorKind, "TIMEOUT"));
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(written);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void timestampsKeepMillisecondPrecision() {
        HealthCheck check = SampleRecords.healthCheck();
        check.setCheckedAt(Instant.ofEpochMilli(1_700_000_000_123L));
        AvroSerde<HealthCheck> serde = AvroSerde.of(HealthCheck.class);

        assertThat(serde.deserialize(TOPIC, serde.serialize(TOPIC, check)).getCheckedAt())
                .isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    }
}
