package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll loop over a MockConsumer: it rides out what the consumer recovers from, and exits on what it cannot. */
class ConsumerLoopTest {

    private static final TopicPartition PARTITION = new TopicPartition("t", 0);

    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger exits = new AtomicInteger();

    private final ConsumerLoop loop = new ConsumerLoop(consumer, "test-loop") {
        @Override
        protected void prepare() {
            consumer.assign(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        }

        @Override
        protected void run() {
            while (running()) {
                consumer.poll(Duration.ofMillis(20)).forEach(record -> seen.add(record.value()));
            }
        }
    };

    @AfterEach
    void stop() {
        loop.stop();
        ProcessExit.replaceWith(status -> new Thread(() -> System.exit(status)).start());
    }

    @Test
    void aTimeoutIsRetriedAndTheLoopGoesOnWithoutExiting() {
        ProcessExit.replaceWith(status -> exits.incrementAndGet());
        loop.start();
        consumer.schedulePollTask(() -> consumer.setPollException(new TimeoutException("broker away")));
        consumer.schedulePollTask(() -> consumer.setPollException(new TimeoutException("still away")));
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "after")));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("after"));
        assertThat(loop.isRunning()).isTrue();
        assertThat(exits).hasValue(0);
    }

    @Test
    void aFailureItCannotRecoverFromStopsTheLoopAndExitsWithStatus1() {
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        ProcessExit.replaceWith(statuses::add);
        loop.start();
        consumer.schedulePollTask(
                () -> consumer.setPollException(new TopicAuthorizationException("not allowed to read t")));

        await().atMost(Duration.ofSeconds(10)).until(() -> !statuses.isEmpty());
        assertThat(statuses).containsExactly(1);
        assertThat(loop.isRunning()).isFalse();
        assertThat(consumer.closed()).isTrue();
    }
}
