package io.wafleet.router.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.webhooks.WebhookSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Session watches against a fake server client: what each answer of the server's status leads to. */
class SessionWatchesTest {

    private static final RequestContext CTX = new RequestContext("r1", null, "test", "acct-1", "Acct");

    /** One published state, as the events say it. */
    private record Published(AccountState state, String qrCode, String reason) {}

    private final FakeServerClient server = new FakeServerClient();
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> failedCalls = new CopyOnWriteArrayList<>();
    private final AccountQueue queue = new AccountQueue();
    private final AccountSettings settings = settings(Duration.ofMillis(10));
    private final SessionWatches watches = watches(settings);

    private static AccountSettings settings(Duration statusPollInterval) {
        return settings(statusPollInterval, Duration.ZERO);
    }

    private static AccountSettings settings(Duration statusPollInterval, Duration qrRepublishInterval) {
        return new AccountSettings(
                null,
                Duration.ofSeconds(30),
                statusPollInterval,
                qrRepublishInterval,
                null,
                null,
                null,
                0,
                null,
                0,
                0,
                null,
                null,
                null);
    }

    private SessionWatches watches(AccountSettings settings) {
        return new SessionWatches(
                queue,
                id -> server,
                (ctx, serverId, state, connectionId, qrCode, reason, attempt) -> {
                    published.add(new Published(state, qrCode, reason));
                    return CompletableFuture.completedFuture(null);
                },
                (serverId, failure) -> failedCalls.add(serverId + " " + failure.kind()),
                settings,
                new PushedNotices(WebhookSettings.defaults(), Clock.systemUTC()),
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        watches.close();
    }

    @Test
    void aWaitingSessionThatConnectsIsAnsweredConnected() {
        server.statusAnswers(
                FakeServerClient.session(AccountState.QR_REQUIRED, "qr-1"),
                FakeServerClient.session(AccountState.CONNECTED, null));

        CompletableFuture<Void> answered = watches.watch(CTX, "srv-1", null, 1, deadlineIn(30));

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
        assertThat(answered).isCompleted();
        assertThat(published)
                .extracting(Published::state)
                .containsExactly(AccountState.QR_REQUIRED, AccountState.CONNECTED);
        assertThat(published.get(0).qrCode()).isEqualTo("qr-1");
    }

    @Test
    void aQrNotScannedBeforeTheDeadlineRemovesTheSessionAndFails() {
        watches.watch(CTX, "srv-1", "qr-shown", 1, Instant.now().minusSeconds(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        assertThat(server.calls).contains("disconnect acct-1");
        assertThat(published.get(0).state()).isEqualTo(AccountState.FAILED);
        assertThat(published.get(0).reason()).contains("not scanned within 30 s");
    }

    @Test
    void aSessionGoneFromTheServerFailsAndAFailedCallIsReportedAndPolledAgain() {
        server.statusAnswers(
                FakeServerClient.failure(ErrorKind.TIMEOUT, null),
                FakeServerClient.failure(ErrorKind.HTTP_STATUS, 404));

        watches.watch(CTX, "srv-1", "qr-shown", 1, deadlineIn(30));

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        assertThat(failedCalls).containsExactly("srv-1 TIMEOUT");
        assertThat(published.get(0))
                .isEqualTo(new Published(AccountState.FAILED, null, "the session is gone from the server"));
    }

    @Test
    void aNewerRequestOfTheAccountEndsTheWatchWithoutAnEvent() {
        server.statusAnswers(FakeServerClient.session(AccountState.QR_REQUIRED, "qr-1"));
        CompletableFuture<Void> answered = watches.watch(CTX, "srv-1", null, 1, deadlineIn(30));

        queue.newGeneration("acct-1");

        await().atMost(Duration.ofSeconds(5)).until(answered::isDone);
        assertThat(published).isEmpty();
        assertThat(server.count("status acct-1")).isZero();
    }

    @Test
    void aNoticePollsTheWatchedSessionAtOnceAndTheServersAnswerSetsTheState() {
        try (SessionWatches slow = watches(settings(Duration.ofHours(1)))) {
            server.statusAnswers(FakeServerClient.session(AccountState.QR_REQUIRED, "qr-1"));
            slow.watch(CTX, "srv-1", "qr-1", 1, deadlineIn(30));

            // A notice claiming CONNECTED while the server says it still waits for a scan sets nothing.
            assertThat(slow.notice(notice("n1", "srv-1", AccountState.CONNECTED)))
                    .isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.count("status acct-1") == 1);
            assertThat(published).isEmpty();

            server.statusAnswers(FakeServerClient.session(AccountState.CONNECTED, null));
            assertThat(slow.notice(notice("n2", "srv-1", AccountState.CONNECTED)))
                    .isTrue();

            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
            assertThat(published.get(0).state()).isEqualTo(AccountState.CONNECTED);
            assertThat(slow.notice(notice("n3", "srv-1", AccountState.CONNECTED)))
                    .as("an answered watch is watched no more")
                    .isFalse();
        }
    }

    @Test
    void aQrTheServerSaysItRenewedIsPassedOnAtOnceNotAfterTheRepublishInterval() {
        try (SessionWatches slow = watches(settings(Duration.ofHours(1), Duration.ofHours(1)))) {
            server.statusAnswers(FakeServerClient.session(AccountState.QR_REQUIRED, "qr-2"));
            slow.watch(CTX, "srv-1", "qr-1", 1, deadlineIn(30));

            // A status notice polls, but a new QR within the interval waits.
            assertThat(slow.notice(notice("n1", "srv-1", AccountState.CONNECTING)))
                    .isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.count("status acct-1") == 1);
            assertThat(published).isEmpty();

            io.wafleet.avro.ServerNotice renewed = notice("n2", "srv-1", AccountState.QR_REQUIRED);
            renewed.setKind(io.wafleet.avro.NoticeKind.QR_UPDATED);
            assertThat(slow.notice(renewed)).isTrue();

            await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
            assertThat(published.get(0)).isEqualTo(new Published(AccountState.QR_REQUIRED, "qr-2", "new QR code"));
        }
    }

    @Test
    void aNoticeFromAnotherServerIsNotTheWatchedSessions() {
        try (SessionWatches slow = watches(settings(Duration.ofHours(1)))) {
            slow.watch(CTX, "srv-1", "qr-1", 1, deadlineIn(30));

            assertThat(slow.notice(notice("n1", "srv-2", AccountState.CONNECTED)))
                    .isFalse();
            assertThat(server.count("status acct-1")).isZero();
        }
    }

    static io.wafleet.avro.ServerNotice notice(String id, String serverId, AccountState state) {
        return io.wafleet.avro.ServerNotice.newBuilder()
                .setNoticeId(id)
                .setServerId(serverId)
                .setAccountId("acct-1")
                .setDialect(io.wafleet.avro.Dialect.WAHA)
                .setKind(io.wafleet.avro.NoticeKind.STATUS_CHANGED)
                .setEvent("session.status")
                .setState(state)
                .setReceivedAt(Instant.now())
                .build();
    }

    private static Instant deadlineIn(int seconds) {
        return Instant.now().plusSeconds(seconds);
    }
}
