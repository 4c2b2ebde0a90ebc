package io.wafleet.aggregator;

import io.wafleet.avro.ServerConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Re-keys a server's closed latency window to its pools (environment, environment/location, from the config store),
 * stamped with the window's start so the pool windows downstream line up with the server windows.
 */
final class PoolWindowProcessor implements Processor<Windowed<String>, LatencyWindow, String, LatencyWindow> {

    private ProcessorContext<String, LatencyWindow> context;
    private KeyValueStore<String, ServerConfig> configs;

    static ProcessorSupplier<Windowed<String>, LatencyWindow, String, LatencyWindow> supplier() {
        return PoolWindowProcessor::new;
    }

    @Override
    public void init(ProcessorContext<String, LatencyWindow> context) {
        this.context = context;
        this.configs = context.getStateStore(StatsTopology.CONFIG_STORE);
    }

    @Override
    public void process(Record<Windowed<String>, LatencyWindow> record) {
        ServerConfig config = configs.get(record.key().key());
        if (config == null || config.getEnvironment().isEmpty()) {
            return;
        }
        long start = record.key().window().start();
        context.forward(new Record<>(config.getEnvironment(), record.value(), start));
        if (config.getLocation() != null && !config.getLocation().isEmpty()) {
            context.forward(new Record<>(
                    PoolStanding.poolId(config.getEnvironment(), config.getLocation()), record.value(), start));
        }
    }
}
