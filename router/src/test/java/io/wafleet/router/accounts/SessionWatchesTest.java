package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthReport;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerEndpoint;
import io.wafleet.client.SessionInfo;
import io.wafleet.client.StatsReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Session watches against a fake server client: what each answer of the server's status leads to. */
class SessionWatchesTest {

    private static final RequestContext CTX = new RequestContext("r1", null, "test", "acct-1", "Acct");

    /** One published state, as the events say it. */
    private record Published(AccountState state, String qrCode, String reason) {}

    private final FakeServer server = new FakeServer();
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> failedCalls = new CopyOnWriteArrayList<>();
    private final AccountQueue queue = new AccountQueue();
    private final AccountSettings settings = new AccountSettings(
            null,
            Duration.ofSeconds(30),
            Duration.ofMillis(10),
            Duration.ZERO,
            null,
            null,
            null,
            0,
            null,
            0,
            0,
            null,
            null);
    private final SessionWatches watches = new SessionWatches(
            queue,
            id -> server,
            (ctx, serverId, state, connectionId, qrCode, reason, attempt) -> {
                published.add(new Published(state, qrCode, reason));
                return CompletableFuture.completedFuture(null);
            },
            (serverId, failure) -> failedCalls.add(serverId + " " + failure.kind()),
            settings,
            Clock.systemUTC());

    @AfterEach
    void close() {
        watches.close();
    }

    @Test
    void aWaitingSessionThatConnectsIsAnsweredConnected() {
        server.answers(session(AccountState.QR_REQUIRED, "qr-1"), session(AccountState.CONNECTED, null));

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
        assertThat(server.disconnects).containsExactly("acct-1");
        assertThat(published.get(0).state()).isEqualTo(AccountState.FAILED);
        assertThat(published.get(0).reason()).contains("not scanned within 30 s");
    }

    @Test
    void aSessionGoneFromTheServerFailsAndAFailedCallIsReportedAndPolledAgain() {
        server.answers(
                new CallResult.Failed<>(ErrorKind.TIMEOUT, null, "timed out", Duration.ZERO),
                new CallResult.Failed<>(ErrorKind.HTTP_STATUS, 404, "not found", Duration.ZERO));

        watches.watch(CTX, "srv-1", "qr-shown", 1, deadlineIn(30));

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
        assertThat(failedCalls).containsExactly("srv-1 TIMEOUT");
        assertThat(published.get(0))
                .isEqualTo(new Published(AccountState.FAILED, null, "the session is gone from the server"));
    }

    @Test
    void aNewerRequestOfTheAccountEndsTheWatchWithoutAnEvent() {
        server.answers(session(AccountState.QR_REQUIRED, "qr-1"));
        CompletableFuture<Void> answered = watches.watch(CTX, "srv-1", null, 1, deadlineIn(30));

        queue.newGeneration("acct-1");

        await().atMost(Duration.ofSeconds(5)).until(answered::isDone);
        assertThat(published).isEmpty();
        assertThat(server.statusCalls).isZero();
    }

    private static Instant deadlineIn(int seconds) {
        return Instant.now().plusSeconds(seconds);
    }

    private static CallResult<SessionInfo> session(AccountState state, String qr) {
        return new CallResult.Ok<>(new SessionInfo("acct-1", state, "conn-1", qr, state.name()), 200, Duration.ZERO);
    }

    /** Answers status calls from a script (the last answer repeats), records disconnects. */
    private static final class FakeServer implements ServerClient {
        private final Queue<CallResult<SessionInfo>> script = new ConcurrentLinkedQueue<>();
        private volatile CallResult<SessionInfo> last = session(AccountState.QR_REQUIRED, null);
        final List<String> disconnects = new CopyOnWriteArrayList<>();
        volatile int statusCalls;

        @SafeVarargs
        final void answers(CallResult<SessionInfo>... answers) {
            script.addAll(List.of(answers));
        }

        @Override
        public CompletableFuture<CallResult<SessionInfo>> status(String accountId) {
            statusCalls++;
            CallResult<SessionInfo> next = script.poll();
            if (next != null) {
                last = next;
            }
            return CompletableFuture.completedFuture(last);
        }

        @Override
        public CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId) {
            disconnects.add(accountId);
            return CompletableFuture.completedFuture(session(AccountState.DISCONNECTED, null));
        }

        @Override
        public ServerEndpoint endpoint() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<CallResult<HealthReport>> health() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<CallResult<Optional<StatsReport>>> stats() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId) {
            throw new UnsupportedOperationException();
        }
    }
}
