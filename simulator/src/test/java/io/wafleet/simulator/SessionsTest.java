package io.wafleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A server's seats: started sessions take one, stopped ones do not, and a full server refuses a new account. */
class SessionsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final Sessions sessions = new Sessions(clock, 2, Duration.ofSeconds(1));

    @Test
    void aFullServerRefusesANewAccountUntilASessionStops() {
        sessions.getOrCreate("a", "A").startWithQr(clock.instant());
        sessions.getOrCreate("b", "B").startWithQr(clock.instant());

        assertThatThrownBy(() -> sessions.getOrCreate("c", "C")).isInstanceOf(Sessions.CapacityExceeded.class);
        assertThat(sessions.getOrCreate("a", "A")).isNotNull(); // an account it has is never refused

        sessions.find("a").orElseThrow().stop(clock.instant());
        assertThat(sessions.getOrCreate("c", "C").accountId()).isEqualTo("c");
    }

    @Test
    void stoppedSessionsDoNotTakeASeat() {
        sessions.getOrCreate("a", "A");
        sessions.getOrCreate("b", "B");

        // Two sessions, both stopped: the server is not full.
        assertThat(sessions.getOrCreate("c", "C")).isNotNull();
    }
}
