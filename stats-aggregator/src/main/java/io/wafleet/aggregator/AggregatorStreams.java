package io.wafleet.aggregator;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs the aggregator's KafkaStreams with the application: started after the context, closed before it. */
public final class AggregatorStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AggregatorStreams.class);

    private final KafkaStreams streams;
    private volatile boolean running;

    public AggregatorStreams(Topology topology, Properties settings) {
        this.streams = new KafkaStreams(topology, settings);
        streams.setStateListener((now, before) -> log.info("aggregator streams {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(error -> {
            // A failed thread is replaced; its tasks restart from the last committed transaction.
            log.error("aggregator stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void start() {
        streams.start();
        running = true;
    }

    @Override
    public void stop() {
        streams.close(Duration.ofSeconds(30));
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
