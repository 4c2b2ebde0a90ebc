package io.wafleet.schemas;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A Kafka consumer's poll loop on its own thread, started and stopped with the application: stopping wakes the
 * consumer, waits for the loop to end, and the loop closes the consumer (leaving its group hands the partitions to
 * the others). Subclasses write {@link #run()}, polling while {@link #running()}. A failure the consumer recovers
 * from (a timeout, a broker away, a commit lost to a rebalance) runs {@link #run()} again after a backoff (200 ms
 * doubling to 30 s), logged once per episode; any other ends the loop, turns {@link #isRunning()} false for the
 * health indicators and exits the process with status 1, so its supervisor restarts it: no loop dies silently.
 */
public abstract class ConsumerLoop implements SmartLifecycle {

    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Duration RETRY_INITIAL = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** A failure this long after the previous one starts a new episode: logged again, backoff from the start. */
    private static final Duration EPISODE = Duration.ofMinutes(1);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final AtomicBoolean running = new AtomicBoolean();
    private final Consumer<?, ?> consumer;
    private final String threadName;
    private Thread thread;
    /** Counted down by {@link #stop()}: a backoff between retries ends at once. */
    private volatile CountDownLatch stopping = new CountDownLatch(1);

    protected ConsumerLoop(Consumer<?, ?> consumer, String threadName) {
        this.consumer = consumer;
        this.threadName = threadName;
    }

    /** Polls and handles records until {@link #running()} turns false; a wake-up ends the poll then. */
    protected abstract void run();

    /** Before the thread starts, on the caller's: e.g. assigning partitions. */
    protected void prepare() {}

    /**
     * In the loop's thread, before {@link #run()} runs again after a failure it recovers from: a loop that commits
     * what it handled rewinds to its committed offsets here ({@link #rewindToCommitted()}), so that nothing read but
     * not yet handled is skipped.
     */
    protected void beforeRetry() {}

    /** Seeks every assigned partition back to its committed offset (to the beginning when none was committed). */
    protected final void rewindToCommitted() {
        var assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        var committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            var offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

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
            stopping = new CountDownLatch(1);
            prepare();
            thread = new Thread(this::loop, threadName);
            thread.start();
        }
    }

    @Override
    public final void stop() {
        if (running.compareAndSet(true, false)) {
            stopping.countDown();
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
        Duration backoff = RETRY_INITIAL;
        long lastFailure = Long.MIN_VALUE;
        try {
            boolean retrying = false;
            while (running.get()) {
                try {
                    if (retrying) {
                        beforeRetry();
                    }
                    retrying = true;
                    run();
                    return;
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        return; // a failure on the way out changes nothing
                    }
                    if (!recoverable(e)) {
                        log.error(
                                "{} cannot go on: {}; the process exits so that its supervisor restarts it",
                                threadName,
                                e.toString(),
                                e);
                        // Not running any more: health indicators that ask isRunning() report it.
                        running.set(false);
                        ProcessExit.now(1);
                        return;
                    }
                    long now = System.nanoTime();
                    if (lastFailure == Long.MIN_VALUE || now - lastFailure > EPISODE.toNanos()) {
                        backoff = RETRY_INITIAL;
                        log.warn("{} failed ({}); it retries with backoff until it recovers", threadName, e.toString());
                    } else {
                        log.debug("{} failed again: {}", threadName, e.toString());
                    }
                    lastFailure = now;
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : backoff.multipliedBy(2);
                }
            }
        } finally {
            close();
        }
    }

    /**
     * Failures the consumer gets over by itself: Kafka's retriable ones (timeouts, a broker or coordinator away), a
     * commit or poll lost to a rebalance, a wake-up while running. Anything else (refused credentials, a bug) is not.
     */
    static boolean recoverable(RuntimeException e) {
        return e instanceof RetriableException
                || e instanceof CommitFailedException
                || e instanceof RebalanceInProgressException
                || e instanceof WakeupException
                || (e instanceof KafkaException && e.getCause() instanceof RetriableException);
    }

    private void sleep(Duration backoff) {
        try {
            stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
