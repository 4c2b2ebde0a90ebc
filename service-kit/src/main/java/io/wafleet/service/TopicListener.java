package io.wafleet.service;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * A wafleet consumer, run by a spring-kafka {@link KafkaMessageListenerContainer} that starts and stops with the
 * application. Subclasses say what to read and give the listener ({@link #properties()}); the container polls,
 * commits as the ack mode says, pauses and resumes, and hands failures to {@link ListenerFaults}: a listener that
 * throws has its record tried again and then recovered ({@link #recoverer()}: logged and skipped unless a subclass
 * dead-letters it), a consumer failure it recovers from is waited out, and one it cannot recover from (or a container
 * that stops by itself) turns {@link #isRunning()} false for the health indicators and exits the process with status
 * 1, so its supervisor restarts it: no consumer dies silently.
 */
public abstract class TopicListener<K, V> implements SmartLifecycle {

    /** How long a poll may bring nothing before {@link #idle} runs (and again each time as long again). */
    private static final Duration IDLE = Duration.ofMillis(100);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final ConsumerFactory<K, V> consumers;
    private volatile KafkaMessageListenerContainer<K, V> container;
    private volatile boolean failed;

    protected TopicListener(String name, ConsumerFactory<K, V> consumers) {
        this.name = name;
        this.consumers = consumers;
    }

    /**
     * What to read (topics for a consumer group, or partitions each with where to start), the listener and the ack
     * mode. Called at each start, on the caller's thread.
     */
    protected abstract ContainerProperties properties();

    /** On the consumer's thread when a poll brought nothing for a while: e.g. looking whether it has caught up. */
    protected void idle(Consumer<?, ?> consumer) {}

    /** Once the container has stopped: closes what else the listener owns. */
    protected void stopped() {}

    /**
     * What becomes of a record whose listener kept throwing: logged and skipped unless overridden. Right for readers
     * that every instance runs over every partition from the beginning at each start (the router's tables and
     * feeds): a dead letter from each of them at each start would repeat itself, and the group consumers of the same
     * topics (the sink, the probes) dead-letter such a record once. Group consumers dead-letter what they cannot use.
     */
    protected ConsumerRecordRecoverer recoverer() {
        return (record, e) -> log.error(
                "{} skips {}-{}@{} after its listener kept failing: {}",
                name,
                record.topic(),
                record.partition(),
                record.offset(),
                e.toString());
    }

    /** How often a listener that throws is tried again before its record is recovered: twice, 100 ms apart. */
    protected BackOff listenerBackOff() {
        return new FixedBackOff(100, 2);
    }

    /** Asks the broker something before the container starts, on a consumer of its own (closed after). */
    protected final <T> T beforeStart(Function<Consumer<K, V>, T> question) {
        try (Consumer<K, V> consumer = consumers.createConsumer(null, name + "-setup")) {
            return question.apply(consumer);
        }
    }

    /** Every partition of a topic, each to be read from {@code position}. */
    protected final List<TopicPartitionOffset> partitions(String topic, TopicPartitionOffset.SeekPosition position) {
        return beforeStart(consumer -> consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartitionOffset(topic, info.partition(), position))
                .toList());
    }

    /** Every partition of a topic, as the consumer sees it. */
    public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }

    /** The listener's name, which is also its container's. */
    public final String name() {
        return name;
    }

    @Override
    public final synchronized void start() {
        if (container != null && container.isRunning()) {
            return;
        }
        failed = false;
        ContainerProperties properties = properties();
        properties.setIdleEventInterval(IDLE.toMillis());
        if (properties.getPollTimeout() == ContainerProperties.DEFAULT_POLL_TIMEOUT) {
            properties.setPollTimeout(IDLE.toMillis()); // idle() runs between polls: not 5 s apart
        }
        properties.setIdleBeforeDataMultiplier(1.0);
        KafkaMessageListenerContainer<K, V> started = new KafkaMessageListenerContainer<>(consumers, properties);
        started.setBeanName(name);
        started.setCommonErrorHandler(new ListenerFaults(name, recoverer(), listenerBackOff(), this::fail));
        started.setApplicationEventPublisher(this::onEvent);
        container = started;
        started.start();
    }

    @Override
    public final synchronized void stop() {
        KafkaMessageListenerContainer<K, V> running = container;
        if (running != null) {
            running.stop();
            stopped();
        }
    }

    @Override
    public final boolean isRunning() {
        KafkaMessageListenerContainer<K, V> running = container;
        return running != null && running.isRunning() && !failed;
    }

    private void onEvent(Object event) {
        if (event instanceof ListenerContainerIdleEvent idle && idle.getConsumer() != null) {
            idle(idle.getConsumer());
        } else if (event instanceof ConsumerStoppedEvent stoppedEvent
                && stoppedEvent.getReason() != ConsumerStoppedEvent.Reason.NORMAL) {
            log.error(
                    "{} stopped by itself ({}); the process exits so that its supervisor restarts it",
                    name,
                    stoppedEvent.getReason());
            fail();
        }
    }

    private void fail() {
        if (!failed) {
            failed = true;
            KafkaMessageListenerContainer<K, V> running = container;
            if (running != null && running.isRunning()) {
                running.stopAbnormally(() -> {}); // without waiting: this may be the consumer's own thread
            }
            ProcessExit.now(1);
        }
    }
}
