package io.wafleet.router.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ErrorKind;
import io.wafleet.router.accounts.AccountRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** DISCONNECT and REFRESH_QR against a fake server client and a real account registry. */
class EndAndRefreshTest {

    private static final RequestContext CTX = new RequestContext("r2", null, "test", "acct-1", "Acct");

    private record Published(String serverId, AccountState state, String qrCode, String reason) {}

    private final FakeServerClient server = new FakeServerClient();
    private final AccountRegistry registry = new AccountRegistry();
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> failedCalls = new CopyOnWriteArrayList<>();
    private final List<String> watched = new CopyOnWriteArrayList<>();
    private final EndAndRefresh flows = new EndAndRefresh(
            registry,
            id -> server,
            (ctx, serverId, state, connectionId, qrCode, reason, attempt) -> {
                published.add(new Published(serverId, state, qrCode, reason));
                return CompletableFuture.completedFuture(null);
            },
            (serverId, failure) -> failedCalls.add(serverId + " " + failure.kind()),
            (ctx, serverId, qrCode, attempt) -> {
                watched.add(serverId + " " + qrCode);
                return CompletableFuture.completedFuture(null);
            });

    @Test
    void anAccountNobodyKnowsIsAnsweredDisconnectedWithoutACall() {
        flows.disconnect(CTX).join();

        assertThat(published)
                .containsExactly(new Published(null, AccountState.DISCONNECTED, null, "the account is not connected"));
        assertThat(server.calls).isEmpty();
    }

    @Test
    void aConnectedAccountIsLoggedOutOnItsServer() {
        known(AccountState.CONNECTED, null);

        flows.disconnect(CTX).join();

        assertThat(server.calls).containsExactly("disconnect acct-1");
        assertThat(published).containsExactly(new Published("srv-1", AccountState.DISCONNECTED, null, null));
    }

    @Test
    void aDisconnectTheServerRefusesIsAFailureWithItsReasonAndAFailedCheck() {
        known(AccountState.CONNECTED, null);
        server.disconnectAnswer = FakeServerClient.failure(ErrorKind.HTTP_STATUS, 500);

        flows.disconnect(CTX).join();

        assertThat(failedCalls).containsExactly("srv-1 HTTP_STATUS");
        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(AccountState.FAILED);
            assertThat(event.reason()).startsWith("disconnect failed on srv-1: HTTP_STATUS 500");
        });
    }

    @Test
    void aWaitingAccountGetsTheServersNewQrAndIsWatchedAgain() {
        known(AccountState.QR_REQUIRED, "qr-old");

        flows.refreshQr(CTX).join();

        assertThat(published).containsExactly(new Published("srv-1", AccountState.QR_REQUIRED, "qr-refreshed", null));
        assertThat(watched).containsExactly("srv-1 qr-refreshed");
    }

    @Test
    void aRefreshTheServerFailsKeepsTheLastQr() {
        known(AccountState.QR_REQUIRED, "qr-old");
        server.refreshAnswer = FakeServerClient.failure(ErrorKind.TIMEOUT, null);

        flows.refreshQr(CTX).join();

        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.qrCode()).isEqualTo("qr-old");
            assertThat(event.reason()).startsWith("refresh failed, the last QR code stands: TIMEOUT");
        });
        assertThat(failedCalls).containsExactly("srv-1 TIMEOUT");
    }

    @Test
    void anAccountNotWaitingHasNoQrToRefresh() {
        known(AccountState.CONNECTED, null);

        flows.refreshQr(CTX).join();

        assertThat(server.calls).isEmpty();
        assertThat(published)
                .containsExactly(new Published(
                        "srv-1", AccountState.CONNECTED, null, "no QR code to refresh: the account is CONNECTED"));
    }

    private void known(AccountState state, String qr) {
        registry.applyRead(new ConnectionEvent(
                UUID.randomUUID().toString(),
                "r1",
                null,
                "acct-1",
                "Acct",
                "srv-1",
                state,
                null,
                "conn-1",
                qr,
                null,
                1,
                Instant.now(),
                null,
                null));
    }
}
