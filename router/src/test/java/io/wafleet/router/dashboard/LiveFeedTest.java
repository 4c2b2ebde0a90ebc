package io.wafleet.router.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The dashboard feed with emitters that stand for a stalled tab and a reading one. */
class LiveFeedTest {

    private final CountDownLatch stalledTabReads = new CountDownLatch(1);
    private final AtomicInteger delivered = new AtomicInteger();
    private final Deque<SseEmitter> made = new ArrayDeque<>(List.of(new StalledEmitter(), new ReadingEmitter()));
    private final LiveFeed feed = new LiveFeed(
            () -> Map.of("servers", List.of()), () -> made.isEmpty() ? new ReadingEmitter() : made.removeFirst());

    @AfterEach
    void close() {
        stalledTabReads.countDown();
        feed.close();
    }

    @Test
    void aStalledTabIsDroppedAndNeverHoldsUpTheThreadThatReportsEventsNorTheOtherTabs() {
        feed.subscribe(); // stalls on its first write
        feed.subscribe();
        int events = LiveFeed.QUEUE + 10;
        int half = events / 2;

        // In two halves, the reading tab caught up in between: only the stalled tab can fall a queue behind.
        Duration reporting = report(0, half);
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == half + 1);
        reporting = reporting.plus(report(half, events));

        assertThat(reporting).as("the reporting thread only queues").isLessThan(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.subscribers() == 1);
        // The reading tab: the fleet table, then every event.
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == events + 1);
    }

    private Duration report(int from, int to) {
        long started = System.nanoTime();
        for (int i = from; i < to; i++) {
            feed.accountEvent(event(i));
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    void beyondItsCapTheFeedRefusesANewTab() {
        for (int i = 0; i < LiveFeed.MAX_SUBSCRIBERS; i++) {
            feed.subscribe();
        }
        assertThatThrownBy(feed::subscribe).isInstanceOf(LiveFeed.TooManySubscribers.class);
    }

    private static ConnectionEvent event(int i) {
        return ConnectionEvent.newBuilder()
                .setEventId("e-" + i)
                .setAccountId("acct-" + i)
                .setState(AccountState.PENDING)
                .setOccurredAt(Instant.now())
                .build();
    }

    /** A tab whose connection takes no more bytes: its first write blocks until the test ends. */
    private final class StalledEmitter extends SseEmitter {
        @Override
        public void send(SseEventBuilder builder) throws IOException {
            try {
                stalledTabReads.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("broken pipe");
        }
    }

    private final class ReadingEmitter extends SseEmitter {
        @Override
        public void send(SseEventBuilder builder) {
            delivered.incrementAndGet();
        }
    }
}
