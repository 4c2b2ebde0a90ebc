package io.wafleet.aggregator;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The window stores' serde of {@link LatencyWindow}: a version byte, the counters, then the exact values or the
 * DDSketch's own encoding.
 */
final class LatencyWindowSerde {

    private static final byte VERSION = 1;

    private LatencyWindowSerde() {}

    static Serde<LatencyWindow> create(int exactLimit) {
        Serializer<LatencyWindow> serializer = (topic, window) -> window == null ? null : write(window);
        Deserializer<LatencyWindow> deserializer =
                (topic, bytes) -> bytes == null ? null : read(topic, bytes, exactLimit);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static byte[] write(LatencyWindow window) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(window.count);
            out.writeLong(window.failures);
            out.writeLong(window.samples);
            out.writeDouble(window.sum);
            out.writeDouble(window.min);
            out.writeDouble(window.max);
            if (window.sketch == null) {
                out.writeBoolean(false);
                out.writeInt(window.exactCount);
                for (int i = 0; i < window.exactCount; i++) {
                    out.writeDouble(window.exact[i]);
                }
            } else {
                out.writeBoolean(true);
                // DDSketch's own encoding (decode reads this one, not the protobuf of serialize()).
                GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withDefaultInitialCapacity();
                window.sketch.encode(sketch, false);
                out.writeInt(sketch.numWrittenBytes());
                out.write(sketch.backingArray(), 0, sketch.numWrittenBytes());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LatencyWindow read(String topic, byte[] bytes, int exactLimit) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("latency window of version " + version + " in " + topic);
            }
            LatencyWindow window = new LatencyWindow(exactLimit);
            window.count = in.readLong();
            window.failures = in.readLong();
            window.samples = in.readLong();
            window.sum = in.readDouble();
            window.min = in.readDouble();
            window.max = in.readDouble();
            if (!in.readBoolean()) {
                double[] exact = new double[in.readInt()];
                for (int i = 0; i < exact.length; i++) {
                    exact[i] = in.readDouble();
                }
                window.exact = exact;
                window.exactCount = exact.length;
            } else {
                byte[] sketch = new byte[in.readInt()];
                in.readFully(sketch);
                window.sketch = DDSketch.decode(ByteArrayInput.wrap(sketch), UnboundedSizeDenseStore::new);
            }
            return window;
        } catch (IOException e) {
            throw new SerializationException("cannot read a latency window from " + topic + ": " + e.getMessage(), e);
        }
    }
}
