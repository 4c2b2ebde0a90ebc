package io.wafleet.service;

import java.time.Duration;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.backoff.BackOff;

/**
 * What a {@link TopicListener}'s container does when something fails. A listener that throws is handled by
 * spring-kafka's {@link DefaultErrorHandler}: the record (or the whole batch, with the consumer paused) is tried again
 * after the listener's back-off, then given to its recoverer (a dead letter, or a logged skip). A failure of the
 * consumer itself, outside the listener (a poll or commit timing out while the broker is away, a commit lost to a
 * rebalance), is waited out with a back-off from 200 ms doubling to 30 s and logged once per episode; anything else
 * (a bug, a setting the broker refuses) cannot be recovered from, and {@code fatal} runs (the listener exits the
 * process, so that its supervisor restarts it).
 */
final class ListenerFaults extends DefaultErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerFaults.class);
    private static final Duration RETRY_INITIAL = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** A failure this long after the previous one starts a new episode: logged again, back-off from the start. */
    private static final Duration EPISODE = Duration.ofMinutes(1);
    /** How often a back-off looks whether the container is being stopped. */
    private static final long SLICE_MS = 50;

    private final String name;
    private final Runnable fatal;
    private Duration backoff = RETRY_INITIAL;
    private long lastFailure = Long.MIN_VALUE;

    ListenerFaults(String name, ConsumerRecordRecoverer recoverer, BackOff listenerBackOff, Runnable fatal) {
        super(recoverer, listenerBackOff);
        this.name = name;
        this.fatal = fatal;
        setLogLevel(org.springframework.kafka.KafkaException.Level.WARN);
        // A failed record is tried again from memory, the consumer paused meanwhile, not fetched again.
        setSeekAfterError(false);
    }

    /**
     * Failures the consumer gets over by itself: Kafka's retriable ones (timeouts, a broker or coordinator away), a
     * commit or poll lost to a rebalance, a wake-up while running. Anything else (refused credentials, a bug) is not.
     */
    static boolean recoverable(Throwable e) {
        return e instanceof RetriableException
                || e instanceof CommitFailedException
                || e instanceof RebalanceInProgressException
                || e instanceof WakeupException
                || (e instanceof KafkaException && e.getCause() instanceof RetriableException);
    }

    @Override
    public void handleOtherException(
            Exception thrown, Consumer<?, ?> consumer, MessageListenerContainer container, boolean batchListener) {
        if (!container.isRunning()) {
            return; // a failure on the way out changes nothing
        }
        if (!recoverable(thrown)) {
            LOG.error(
                    "{} cannot go on: {}; the process exits so that its supervisor restarts it",
                    name,
                    thrown.toString(),
                    thrown);
            fatal.run();
            return;
        }
        long now = System.nanoTime();
        if (lastFailure == Long.MIN_VALUE || now - lastFailure > EPISODE.toNanos()) {
            backoff = RETRY_INITIAL;
            LOG.warn("{} failed ({}); it retries with backoff until it recovers", name, thrown.toString());
        } else {
            LOG.debug("{} failed again: {}", name, thrown.toString());
        }
        lastFailure = now;
        waitOut(backoff, container);
        backoff = backoff.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : backoff.multipliedBy(2);
    }

    /** Sleeps on the consumer's thread (its partitions stay assigned), ending early when the container stops. */
    private static void waitOut(Duration backoff, MessageListenerContainer container) {
        long until = System.nanoTime() + backoff.toNanos();
        try {
            while (container.isRunning() && System.nanoTime() < until) {
                Thread.sleep(SLICE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
