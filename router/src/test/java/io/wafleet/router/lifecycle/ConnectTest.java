package io.wafleet.router.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.ErrorKind;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.PoolRules;
import io.wafleet.router.select.Selector;
import io.wafleet.router.select.ServerView;
import io.wafleet.router.select.Servers;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** CONNECT against fake server clients, a real selector and a real account registry. */
class ConnectTest {

    static final RequestContext CTX = new RequestContext("r1", null, "test", "acct-1", "Acct");

    record Published(String serverId, AccountState state, String qrCode, String reason, int attempt) {}

    final Map<String, FakeServerClient> servers = new LinkedHashMap<>();
    final AccountRegistry registry = new AccountRegistry();
    final List<Published> published = new CopyOnWriteArrayList<>();
    final List<String> failedCalls = new CopyOnWriteArrayList<>();
    final List<String> watched = new CopyOnWriteArrayList<>();
    volatile Fleet fleet = Fleet.EMPTY;
    final AccountSettings settings = new AccountSettings(
            null, null, null, null, 2, Duration.ofMillis(1), Duration.ofMillis(2), 0, null, 0, 0, null, null, null);
    final AccountEventSink events = (ctx, serverId, state, connectionId, qrCode, reason, attempt) -> {
        published.add(new Published(serverId, state, qrCode, reason, attempt));
        return CompletableFuture.completedFuture(null);
    };
    final Connect connect = new Connect(
            () -> fleet,
            () -> PoolRules.only(io.wafleet.router.select.PoolRule.DEFAULT),
            new Selector(),
            registry,
            servers::get,
            (serverId, failure) -> failedCalls.add(serverId + " " + failure.kind()),
            settings,
            events,
            (ctx, serverId, qrCode, attempt) -> {
                watched.add(serverId + " " + qrCode);
                return CompletableFuture.completedFuture(null);
            });

    /** Servers srv-1, srv-2, ... with fake clients; srv-1 has the most room, so it is chosen first. */
    void fleetOf(int count) {
        List<ServerView> views = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = "srv-" + i;
            views.add(Servers.server(id, 1, 100, i * 10));
            servers.put(id, new FakeServerClient());
        }
        fleet = Fleet.of(views, registry.loads());
    }

    static ConnectionRequest request() {
        return ConnectionRequest.newBuilder()
                .setRequestId("r1")
                .setAccountId("acct-1")
                .setAction(ConnectionAction.CONNECT)
                .setEnvironment("production")
                .build();
    }

    @Test
    void aConnectPublishesPendingThenTheQrAndWatchesTheSession() {
        fleetOf(2);

        connect.connect(CTX, request()).join();

        assertThat(published)
                .containsExactly(
                        new Published("srv-1", AccountState.PENDING, null, null, 1),
                        new Published("srv-1", AccountState.QR_REQUIRED, "qr-1", null, 1));
        assertThat(servers.get("srv-1").calls).containsExactly("connect acct-1");
        assertThat(watched).containsExactly("srv-1 qr-1");
    }

    @Test
    void theServerIsCalledWhilePendingCommitsAndTheQrWaitsForIt() {
        fleetOf(1);
        CompletableFuture<Void> pendingCommitted = new CompletableFuture<>();
        List<AccountState> sent = new CopyOnWriteArrayList<>();
        Connect slowCommits = new Connect(
                () -> fleet,
                () -> PoolRules.only(io.wafleet.router.select.PoolRule.DEFAULT),
                new Selector(),
                registry,
                servers::get,
                (serverId, failure) -> {},
                settings,
                (ctx, serverId, state, connectionId, qrCode, reason, attempt) -> {
                    sent.add(state);
                    return state == AccountState.PENDING ? pendingCommitted : CompletableFuture.completedFuture(null);
                },
                (ctx, serverId, qrCode, attempt) -> CompletableFuture.completedFuture(null));

        CompletableFuture<Void> done = slowCommits.connect(CTX, request());

        assertThat(servers.get("srv-1").calls)
                .as("called before PENDING is committed")
                .containsExactly("connect acct-1");
        assertThat(sent).as("the QR waits for PENDING").containsExactly(AccountState.PENDING);
        pendingCommitted.complete(null);
        done.join();
        assertThat(sent).containsExactly(AccountState.PENDING, AccountState.QR_REQUIRED);
    }

    @Test
    void aServerThatFailsTheCallIsReportedAndTheNextOneTakesTheAccount() {
        fleetOf(2);
        servers.get("srv-1").connectAnswer = FakeServerClient.failure(ErrorKind.CONNECT_REFUSED, null);

        connect.connect(CTX, request()).join();

        assertThat(failedCalls).containsExactly("srv-1 CONNECT_REFUSED");
        assertThat(published)
                .extracting(Published::serverId, Published::state, Published::attempt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("srv-1", AccountState.PENDING, 1),
                        org.assertj.core.groups.Tuple.tuple("srv-2", AccountState.PENDING, 2),
                        org.assertj.core.groups.Tuple.tuple("srv-2", AccountState.QR_REQUIRED, 2));
        assertThat(published.get(1).reason()).startsWith("retry after srv-1 failed: CONNECT_REFUSED");
    }

    @Test
    void whenEveryServerFailsTheAccountFailsWithEachAttemptInTheReason() {
        fleetOf(2);
        servers.values().forEach(s -> s.connectAnswer = FakeServerClient.failure(ErrorKind.HTTP_STATUS, 500));

        connect.connect(CTX, request()).join();

        Published last = published.get(published.size() - 1);
        assertThat(last.state()).isEqualTo(AccountState.FAILED);
        assertThat(last.reason())
                .startsWith("2 attempt(s) failed: srv-1 failed: HTTP_STATUS 500")
                .contains("srv-2 failed: HTTP_STATUS 500")
                .contains("then no server");
        assertThat(failedCalls).containsExactly("srv-1 HTTP_STATUS", "srv-2 HTTP_STATUS");
    }

    @Test
    void anEmptyFleetFailsAtOnceWithTheSelectorsReason() {
        connect.connect(CTX, request()).join();

        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(AccountState.FAILED);
            assertThat(event.reason()).isNotBlank();
        });
    }

    @Test
    void anAccountConnectedWhereItShouldBeIsCheckedNotRestarted() {
        fleetOf(2);
        registry.applyRead(ConnectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAccountId("acct-1")
                .setServerId("srv-2")
                .setState(AccountState.CONNECTED)
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build());
        servers.get("srv-2").statusAnswers(FakeServerClient.session(AccountState.CONNECTED, null));

        connect.connect(CTX, request()).join();

        assertThat(servers.get("srv-2").calls).containsExactly("status acct-1");
        assertThat(published)
                .containsExactly(new Published("srv-2", AccountState.CONNECTED, null, "already connected", 1));
    }

    @Test
    void aSessionTheServerStartsConnectedAnswersConnectedWithoutAWatch() {
        fleetOf(1);
        servers.get("srv-1").connectAnswer = FakeServerClient.session(AccountState.CONNECTED, null);

        connect.connect(CTX, request()).join();

        assertThat(published).last().extracting(Published::state).isEqualTo(AccountState.CONNECTED);
        assertThat(watched).isEmpty();
    }
}
