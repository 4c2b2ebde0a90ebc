package io.wafleet.aggregator;

import io.wafleet.avro.ServerEvent;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Counts each pool's healthy servers from the standing changes the health processor sends (keyed by pool, so one
 * task sees a whole pool) and raises POOL_PANIC when fewer than {@code panicThreshold} of them are HEALTHY, and
 * POOL_PANIC_OVER when enough are back. Store {@link StatsTopology#POOL_STORE}: {@code pool\0serverId} → standing,
 * and {@code pool} → "healthy counted panic panics".
 */
final class PanicProcessor implements Processor<String, String, String, ServerEvent> {

    private static final char SEPARATOR = '\u0000';

    private final double threshold;
    private ProcessorContext<String, ServerEvent> context;
    private KeyValueStore<String, String> store;

    PanicProcessor(double threshold) {
        this.threshold = threshold;
    }

    static ProcessorSupplier<String, String, String, ServerEvent> supplier(double threshold) {
        return () -> new PanicProcessor(threshold);
    }

    @Override
    public void init(ProcessorContext<String, ServerEvent> context) {
        this.context = context;
        this.store = context.getStateStore(StatsTopology.POOL_STORE);
    }

    @Override
    public void process(Record<String, String> record) {
        String pool = record.key();
        if (pool == null || record.value() == null) {
            return;
        }
        HealthOutput.Member member = HealthOutput.Member.decode(record.value());
        String memberKey = pool + SEPARATOR + member.serverId();
        String was = store.get(memberKey);
        String now = member.standing();
        if (Objects.equals(was, now)) {
            return;
        }
        Counts counts = Counts.parse(store.get(pool));
        int healthy = counts.healthy()
                - (PoolStanding.HEALTHY.equals(was) ? 1 : 0)
                + (PoolStanding.HEALTHY.equals(now) ? 1 : 0);
        int counted = counts.counted() - (was == null ? 0 : 1) + (now == null ? 0 : 1);
        boolean panic = counted > 0 && healthy < threshold * counted;
        if (now == null) {
            store.delete(memberKey);
        } else {
            store.put(memberKey, now);
        }
        // Panics are numbered per pool: the number makes each one's event id unique and the same on a replay.
        long panics = counts.panics() + (panic && !counts.panic() ? 1 : 0);
        store.put(pool, new Counts(healthy, counted, panic, panics).encoded());
        if (panic != counts.panic()) {
            Instant at = Instant.ofEpochMilli(record.timestamp());
            context.forward(new Record<>(
                    pool,
                    HealthEvents.panic(pool, panic, healthy, counted, threshold, panics, at),
                    record.timestamp()));
        }
    }

    private record Counts(int healthy, int counted, boolean panic, long panics) {

        static Counts parse(String encoded) {
            if (encoded == null) {
                return new Counts(0, 0, false, 0);
            }
            String[] parts = encoded.split(" ");
            return new Counts(
                    Integer.parseInt(parts[0]),
                    Integer.parseInt(parts[1]),
                    Boolean.parseBoolean(parts[2]),
                    Long.parseLong(parts[3]));
        }

        String encoded() {
            return healthy + " " + counted + " " + panic + " " + panics;
        }
    }
}
