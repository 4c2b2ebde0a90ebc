package io.wafleet.aggregator;

import io.wafleet.service.ProcessExit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the aggregator's KafkaStreams with the application: started after the context, closed before it. A failed
 * stream thread is replaced (its tasks restart from the last committed transaction), up to
 * {@link #REPLACEMENTS} within {@link #REPLACEMENT_WINDOW}: a failure that comes back at once is not one a new thread
 * gets over, so the client shuts down, and once Streams is in ERROR (that, or a failure it cannot survive) the
 * process exits with status 1 for its supervisor to restart it.
 *
 * <p>Not spring-kafka's {@code StreamsBuilderFactoryBean}: it does the same (lifecycle, state listener, uncaught
 * exception handler) but creates the {@link KafkaStreams} only when it starts, while the health indicator and the
 * metric binders take this one as the context is built; the restart budget above would sit on top of it all the same.
 */
public final class AggregatorStreams implements SmartLifecycle {

    /** Threads replaced at most within {@link #REPLACEMENT_WINDOW}; a replacement waits out the consumer's session. */
    static final int REPLACEMENTS = 3;

    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(AggregatorStreams.class);

    private final KafkaStreams streams;
    private final Deque<Long> failures = new ArrayDeque<>();
    private volatile boolean running;

    public AggregatorStreams(Topology topology, Properties settings) {
        this.streams = new KafkaStreams(topology, settings);
        streams.setStateListener((now, before) -> {
            log.info("aggregator streams {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR) {
                log.error("aggregator streams failed for good; the process exits so that its supervisor restarts it");
                running = false;
                ProcessExit.now(1);
            }
        });
        streams.setUncaughtExceptionHandler(error -> {
            if (recentFailures() > REPLACEMENTS) {
                log.error(
                        "aggregator stream thread failed {} times within {}; shutting down",
                        REPLACEMENTS + 1,
                        REPLACEMENT_WINDOW,
                        error);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.error("aggregator stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Counts this failure and those within the window before it. */
    private synchronized int recentFailures() {
        long now = System.nanoTime();
        failures.addLast(now);
        while (now - failures.peekFirst() > REPLACEMENT_WINDOW.toNanos()) {
            failures.removeFirst();
        }
        return failures.size();
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
