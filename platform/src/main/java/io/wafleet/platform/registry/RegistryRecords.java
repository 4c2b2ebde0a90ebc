package io.wafleet.platform.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * What a test needs to write as another producer would, knowing only the registry's REST API and the wire format:
 * a schema registered under a subject, and a generic record in the Confluent format (no wafleet serde involved).
 */
public final class RegistryRecords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RegistryRecords() {}

    /** Registers {@code schema} under {@code subject} at the registry's Confluent API; returns its id. */
    public static int register(String registryUrl, String subject, Schema schema)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                                .put("schema", schema.toString())
                                .toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException("the registry refused the schema: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("id").asInt();
    }

    /** {@code record} in the Confluent wire format: byte 0, the 4-byte id, the Avro body. */
    public static byte[] confluent(int id, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A successful active health check of {@code serverId} in any version of the HealthCheck schema. */
    public static GenericRecord healthCheck(Schema schema, String serverId) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.name(), field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null);
        }
        record.put("eventId", "e-" + serverId);
        record.put("serverId", serverId);
        record.put("probeId", "probe-1");
        record.put(
                "source", new GenericData.EnumSymbol(schema.getField("source").schema(), "ACTIVE"));
        record.put("checkedAt", Instant.now().toEpochMilli());
        record.put("latencyMicros", 1000L);
        record.put("success", true);
        return record;
    }
}
