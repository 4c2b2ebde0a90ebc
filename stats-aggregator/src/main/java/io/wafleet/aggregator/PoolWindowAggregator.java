package io.wafleet.aggregator;

import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.ServerMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the closed server windows of one pool and size into the pool's window (sketches are mergeable) and emits
 * it when the first server window of a later period arrives: the servers' windows of a period close together, so by
 * then the pool's is complete. One store entry per pool: its open window's start and merged latencies. A server
 * window for a period already emitted is late; it is counted in the log and left out.
 */
final class PoolWindowAggregator implements Processor<String, LatencyWindow, String, ServerMetrics> {

    private static final Logger log = LoggerFactory.getLogger(PoolWindowAggregator.class);

    private final String storeName;
    private final Duration size;
    private ProcessorContext<String, ServerMetrics> context;
    private KeyValueStore<String, byte[]> store;
    private final Serde<LatencyWindow> windowSerde;

    PoolWindowAggregator(String storeName, Duration size, int exactSamples) {
        this.storeName = storeName;
        this.size = size;
        this.windowSerde = LatencyWindowSerde.create(exactSamples);
    }

    static ProcessorSupplier<String, LatencyWindow, String, ServerMetrics> supplier(
            String storeName, Duration size, int exactSamples) {
        return () -> new PoolWindowAggregator(storeName, size, exactSamples);
    }

    /** The store's value serde is bytes: the window's start (8 bytes), then the latency window. */
    static Serde<byte[]> storeSerde() {
        return Serdes.ByteArray();
    }

    @Override
    public void init(ProcessorContext<String, ServerMetrics> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, LatencyWindow> record) {
        String pool = record.key();
        long start = record.timestamp();
        byte[] stored = store.get(pool);
        if (stored == null) {
            store.put(pool, encode(start, record.value()));
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        long openStart = buffer.getLong();
        if (start < openStart) {
            log.warn("pool {}: a server window from {} arrived after the pool's window was emitted", pool, start);
            return;
        }
        LatencyWindow open = decode(stored);
        if (start == openStart) {
            store.put(pool, encode(start, open.merge(record.value())));
            return;
        }
        context.forward(new Record<>(pool, metrics(pool, openStart, open), openStart + size.toMillis() - 1));
        store.put(pool, encode(start, record.value()));
    }

    private ServerMetrics metrics(String pool, long start, LatencyWindow latencies) {
        MetricsScope scope = pool.contains("/") ? MetricsScope.LOCATION : MetricsScope.ENVIRONMENT;
        return StatsTopology.metrics(pool, start, start + size.toMillis(), latencies, size, scope);
    }

    private byte[] encode(long start, LatencyWindow window) {
        byte[] latencies = windowSerde.serializer().serialize(storeName, window);
        return ByteBuffer.allocate(8 + latencies.length)
                .putLong(start)
                .put(latencies)
                .array();
    }

    private LatencyWindow decode(byte[] stored) {
        byte[] latencies = new byte[stored.length - 8];
        System.arraycopy(stored, 8, latencies, 0, latencies.length);
        return windowSerde.deserializer().deserialize(storeName, latencies);
    }
}
