package io.wafleet.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * A listener's container over a MockConsumer: it rides out what the consumer recovers from, recovers a record whose
 * listener keeps failing and goes on, and exits on what it cannot recover from.
 */
class TopicListenerTest {

    private static final TopicPartition PARTITION = new TopicPartition("t", 0);

    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> recovered = new CopyOnWriteArrayList<>();
    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private final AtomicInteger idles = new AtomicInteger();

    private final TopicListener<String, String> listener = new TopicListener<>("test-listener", factory(consumer)) {
        @Override
        protected ContainerProperties properties() {
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            ContainerProperties properties = new ContainerProperties(
                    new TopicPartitionOffset("t", 0, TopicPartitionOffset.SeekPosition.BEGINNING));
            properties.setMessageListener((MessageListener<String, String>) record -> {
                if (record.value().equals("poison")) {
                    throw new IllegalArgumentException("cannot handle " + record.value());
                }
                seen.add(record.value());
            });
            return properties;
        }

        @Override
        protected void idle(Consumer<?, ?> idleConsumer) {
            idles.incrementAndGet();
        }

        @Override
        protected org.springframework.kafka.listener.ConsumerRecordRecoverer recoverer() {
            return (record, e) ->
                    recovered.add(record.value() + ": " + e.getCause().getMessage());
        }
    };

    @AfterEach
    void stop() {
        listener.stop();
        ProcessExit.replaceWith(status -> new Thread(() -> System.exit(status)).start());
        ProcessExit.beforeExit(() -> {});
    }

    @Test
    void aTimeoutIsRetriedAndTheListenerGoesOnWithoutExiting() {
        ProcessExit.replaceWith(exits::add);
        listener.start();
        consumer.schedulePollTask(() -> consumer.setPollException(new TimeoutException("broker away")));
        consumer.schedulePollTask(() -> consumer.setPollException(new TimeoutException("still away")));
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "after")));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("after"));
        assertThat(listener.isRunning()).isTrue();
        assertThat(exits).isEmpty();
    }

    @Test
    void aRecordWhoseListenerKeepsFailingIsRecoveredAndTheNextOneIsHandled() {
        ProcessExit.replaceWith(exits::add);
        listener.start();
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "k", "poison"));
            consumer.addRecord(new ConsumerRecord<>("t", 0, 1, "k", "next"));
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("next"));
        assertThat(recovered).containsExactly("poison: cannot handle poison");
        assertThat(listener.isRunning()).isTrue();
        assertThat(exits).isEmpty();
    }

    @Test
    void aPollThatBringsNothingTellsTheListenerItIsIdle() {
        listener.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> idles.get() >= 2);
    }

    @Test
    void aFailureItCannotRecoverFromStopsTheListenerAndExitsWithStatus1AfterLivenessTurnsDown() {
        List<String> order = new CopyOnWriteArrayList<>();
        ProcessExit.beforeExit(() -> order.add("liveness down"));
        ProcessExit.replaceWith(status -> order.add("exit " + status));
        listener.start();
        consumer.schedulePollTask(
                () -> consumer.setPollException(new TopicAuthorizationException("not allowed to read t")));

        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() >= 2);
        assertThat(order).containsExactly("liveness down", "exit 1");
        await().atMost(Duration.ofSeconds(10)).until(consumer::closed);
        assertThat(listener.isRunning()).isFalse();
    }

    @Test
    void anUnexpectedConsumerFailureExitsWithStatus1() {
        ProcessExit.replaceWith(exits::add);
        listener.start();
        consumer.schedulePollTask(() -> consumer.setPollException(
                new org.apache.kafka.common.KafkaException("the consumer is in a state it cannot leave")));

        await().atMost(Duration.ofSeconds(10)).until(() -> !exits.isEmpty());
        assertThat(exits).containsExactly(1);
        assertThat(listener.isRunning()).isFalse();
    }

    private static ConsumerFactory<String, String> factory(MockConsumer<String, String> consumer) {
        return new ConsumerFactory<>() {
            @Override
            public Consumer<String, String> createConsumer(
                    String groupId, String clientIdPrefix, String clientIdSuffix, java.util.Properties properties) {
                return consumer;
            }

            @Override
            public boolean isAutoCommit() {
                return false;
            }

            @Override
            public Map<String, Object> getConfigurationProperties() {
                return Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "test");
            }
        };
    }
}
