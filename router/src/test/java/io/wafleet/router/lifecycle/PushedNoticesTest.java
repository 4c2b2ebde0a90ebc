package io.wafleet.router.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ServerNotice;
import io.wafleet.router.webhooks.WebhookSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Which notices are news, and how often a waiting session is polled while its server's notices arrive. */
class PushedNoticesTest {

    private static final Duration POLL = Duration.ofSeconds(2);

    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final Moving clock = new Moving();
    private final PushedNotices pushes = new PushedNotices(WebhookSettings.defaults(), clock);

    @Test
    void aNoticeDeliveredTwiceOrOlderThanOneSeenIsNotNews() {
        ServerNotice first = at("n1", "2026-12-04T09:59:58Z");
        ServerNotice newer = at("n2", "2026-12-04T09:59:59Z");
        ServerNotice older = at("n3", "2026-12-04T09:59:57Z");

        assertThat(pushes.fresh(first)).isTrue();
        assertThat(pushes.fresh(first)).as("the same delivery again").isFalse();
        assertThat(pushes.fresh(newer)).isTrue();
        assertThat(pushes.fresh(older)).as("overtaken by a newer one").isFalse();
        assertThat(pushes.fresh(at("n4", null)))
                .as("no server time: only its id decides")
                .isTrue();
    }

    @Test
    void pollsBackOffWhileTheServersNoticesArriveAndTakeOverWhenTheyStop() {
        assertThat(pushes.pollDelay("srv-1", true, POLL))
                .as("nothing heard from the server")
                .isEqualTo(POLL);

        pushes.fresh(at("n1", null));

        assertThat(pushes.pollDelay("srv-1", true, POLL))
                .isEqualTo(WebhookSettings.defaults().pollWhileEvents());
        assertThat(pushes.pollDelay("srv-1", false, POLL))
                .as("a session with no notice yet")
                .isEqualTo(POLL);
        assertThat(pushes.pollDelay("srv-2", true, POLL)).as("another server").isEqualTo(POLL);

        clock.now = clock.now.plus(WebhookSettings.defaults().eventsFreshFor()).plusMillis(1);
        assertThat(pushes.pollDelay("srv-1", true, POLL))
                .as("its notices stopped")
                .isEqualTo(POLL);
    }

    private static ServerNotice at(String id, String serverTime) {
        ServerNotice notice = SessionWatchesTest.notice(id, "srv-1", AccountState.QR_REQUIRED);
        notice.setServerTime(serverTime == null ? null : Instant.parse(serverTime));
        return notice;
    }
}
