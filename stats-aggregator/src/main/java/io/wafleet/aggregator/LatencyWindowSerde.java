package io.wafleet.aggregator;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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

    private static final int HEADER = 1 + 3 * Long.BYTES + 3 * Double.BYTES + 1 + Integer.BYTES;

    private static byte[] write(LatencyWindow window) {
        // Sized up front: this runs for every check, twice, and growing a stream showed in profiles.
        if (window.sketch == null) {
            ByteBuffer out = header(window, HEADER + window.exactCount * Double.BYTES, false, window.exactCount);
            for (int i = 0; i < window.exactCount; i++) {
                out.putDouble(window.exact[i]);
            }
            return out.array();
        }
        // DDSketch's own encoding (decode reads this one, not the protobuf of serialize()).
        GrowingByteArrayOutput sketch = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            window.sketch.encode(sketch, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int length = sketch.numWrittenBytes();
        return header(window, HEADER + length, true, length)
                .put(sketch.backingArray(), 0, length)
                .array();
    }

    private static ByteBuffer header(LatencyWindow window, int size, boolean sketched, int length) {
        return ByteBuffer.allocate(size)
                .put(VERSION)
                .putLong(window.count)
                .putLong(window.failures)
                .putLong(window.samples)
                .putDouble(window.sum)
                .putDouble(window.min)
                .putDouble(window.max)
                .put((byte) (sketched ? 1 : 0))
                .putInt(length);
    }

    private static LatencyWindow read(String topic, byte[] bytes, int exactLimit) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != VERSION) {
                throw new SerializationException("latency window of version " + version + " in " + topic);
            }
            LatencyWindow window = new LatencyWindow(exactLimit);
            window.count = in.getLong();
            window.failures = in.getLong();
            window.samples = in.getLong();
            window.sum = in.getDouble();
            window.min = in.getDouble();
            window.max = in.getDouble();
            boolean sketched = in.get() != 0;
            int length = in.getInt();
            if (!sketched) {
                double[] exact = new double[length];
                in.asDoubleBuffer().get(exact);
                window.exact = exact;
                window.exactCount = length;
            } else {
                window.sketch = DDSketch.decode(
                        ByteArrayInput.wrap(bytes, in.position(), length), UnboundedSizeDenseStore::new);
            }
            return window;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read a latency window from " + topic + ": " + e.getMessage(), e);
        }
    }
}
