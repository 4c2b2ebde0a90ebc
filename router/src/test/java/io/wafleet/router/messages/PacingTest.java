package io.wafleet.router.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The send limits: a second's worth at once, then the rate; both buckets must have a send for one to go. */
class PacingTest {

    @Test
    void anAccountSendsASecondsWorthAtOnceThenWaitsForItsRate() {
        Pacing pacing = new Pacing();
        // 120 a minute: two a second; the bucket holds two.
        assertThat(pacing.take("a", 120, "s", 1_000_000)).isZero();
        assertThat(pacing.take("a", 120, "s", 1_000_000)).isZero();
        Duration wait = pacing.take("a", 120, "s", 1_000_000);
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
        // Another account of the server is not held up by the first one's limit.
        assertThat(pacing.take("b", 120, "s", 1_000_000)).isZero();
    }

    @Test
    void theServersLimitHoldsOverAllItsAccountsAndAWaitTakesNothing() {
        Pacing pacing = new Pacing();
        // 60 a minute for the server: one at once, then one a second, whichever account asks.
        assertThat(pacing.take("a", 6_000, "s", 60)).isZero();
        assertThat(pacing.take("b", 6_000, "s", 60)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        // The refused send took nothing from b's own bucket: b still has its whole burst for another server.
        for (int i = 0; i < 100; i++) {
            assertThat(pacing.take("b", 6_000, "other-" + i, 6_000))
                    .as("send %d", i)
                    .isZero();
        }
    }

    @Test
    void aChangedLimitTakesEffect() {
        Pacing pacing = new Pacing();
        assertThat(pacing.take("a", 60, "s", 1_000_000)).isZero();
        assertThat(pacing.take("a", 60, "s", 1_000_000)).isPositive();
        assertThat(pacing.take("a", 6_000, "s", 1_000_000))
                .as("raised to 100 a second")
                .isZero();
    }
}
