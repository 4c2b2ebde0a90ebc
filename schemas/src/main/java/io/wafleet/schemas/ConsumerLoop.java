package io.wafleet.schemas;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A Kafka consumer's poll loop on its own thread, started and stopped with the application: stopping wakes the
 * consumer, waits for the loop to end, and the loop closes the consumer (leaving its group hands the partitions to
 * the others). Subclasses write {@link #run()}, polling while {@link #running()}; {@link #isRunning()} turns false
 * when the loop ends on an error, so health indicators can report it.
 */
public abstract class ConsumerLoop implements SmartLifecycle {

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final AtomicBoolean running = new AtomicBoolean();
    private final Consumer<?, ?> consumer;
    private final String threadName;
    private Thread thread;

    protected ConsumerLoop(Consumer<?, ?> consumer, String threadName) {
        this.consumer = consumer;
        this.threadName = threadName;
    }

    /** Polls and handles records until {@link #running()} turns false; a wake-up ends the poll then. */
    protected abstract void run();

    /** Before the thread starts, on the caller's: e.g. assigning partitions. */
    protected void prepare() {}

    /** In the loop's thread once it has ended: closes the consumer; overrides close what else the loop owned. */
    protected void close() {
        consumer.close();
    }

    /** Every partition of a topic, as the consumer sees it. */
    public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }

    /** The loop's name, which is also its thread's. */
    public final String name() {
        return threadName;
    }

    protected final boolean running() {
        return running.get();
    }

    @Override
    public final void start() {
        if (running.compareAndSet(false, true)) {
            prepare();
            thread = new Thread(this::loop, threadName);
            thread.start();
        }
    }

    @Override
    public final void stop() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            try {
                thread.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public final boolean isRunning() {
        return running.get();
    }

    private void loop() {
        try {
            run();
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("{} woken up while running; it stops", threadName, e);
            }
        } catch (RuntimeException e) {
            log.error("{} stopped: {}", threadName, e.toString(), e);
            // Not running any more: health indicators that ask isRunning() report it.
            running.set(false);
        } finally {
            close();
        }
    }
}
