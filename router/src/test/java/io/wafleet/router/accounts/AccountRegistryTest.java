package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionEvent;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The registry as the fold of connection events: place, stickiness, in-progress load, repeated requests. */
class AccountRegistryTest {

    private final AccountRegistry registry = new AccountRegistry();

    @Test
    void anAccountInProgressCountsOnItsServerUntilItIsConnected() {
        registry.applyRead(event("acc-1", "srv-a", AccountState.PENDING, "req-1"));
        registry.applyRead(event("acc-2", "srv-a", AccountState.PENDING, "req-2"));
        registry.applyRead(event("acc-1", null, AccountState.QR_REQUIRED, "req-1"));

        assertThat(registry.pending("srv-a")).isEqualTo(2);
        assertThat(registry.account("acc-1").qrCode()).startsWith("data:image/png");
        assertThat(registry.account("acc-1").serverId()).isEqualTo("srv-a");

        registry.applyRead(event("acc-1", null, AccountState.CONNECTED, "req-1"));

        assertThat(registry.pending("srv-a")).isEqualTo(1);
        assertThat(registry.account("acc-1").qrCode()).isNull();
        assertThat(registry.pending("srv-b")).isZero();
    }

    @Test
    void anAccountStaysOnItsServerWhileDisconnectedButNotAfterFailing() {
        registry.applyRead(event("acc-1", "srv-a", AccountState.CONNECTED, "req-1"));
        registry.applyRead(event("acc-1", null, AccountState.DISCONNECTED, "req-2"));
        assertThat(registry.serverOf("acc-1")).isEqualTo("srv-a");

        registry.applyRead(event("acc-1", null, AccountState.FAILED, "req-3"));
        assertThat(registry.serverOf("acc-1")).isNull();
        assertThat(registry.serverOf("nobody")).isNull();
    }

    @Test
    void aMigrationMovesTheAccountAndItsLoad() {
        registry.applyRead(event("acc-1", "srv-a", AccountState.CONNECTED, "req-1"));
        registry.applyRead(event("acc-1", "srv-b", AccountState.MIGRATING, "req-2"));

        assertThat(registry.serverOf("acc-1")).isEqualTo("srv-b");
        assertThat(registry.pending("srv-b")).isEqualTo(1);

        registry.applyRead(event("acc-1", null, AccountState.CONNECTED, "req-2"));
        assertThat(registry.pending("srv-b")).isZero();
        assertThat(registry.pending("srv-a")).isZero();
    }

    @Test
    void forgottenAccountsLeaveWithTheirLoadAndLateEventsOfThemAreNotKept() {
        registry.applyRead(event("acc-1", "srv-a", AccountState.PENDING, "req-1"));
        registry.applyRead(event("acc-2", "srv-a", AccountState.CONNECTED, "req-2"));
        registry.applyRead(event("acc-3", "srv-a", AccountState.PENDING, "req-3"));

        registry.holdOnly(accountId -> !accountId.equals("acc-1") && !accountId.equals("acc-2"));
        assertThat(registry.forget(accountId -> accountId.equals("acc-1") || accountId.equals("acc-2")))
                .isEqualTo(2);

        assertThat(registry.account("acc-1")).isNull();
        assertThat(registry.activeCount("srv-a")).isEqualTo(1);
        assertThat(registry.pending("srv-a")).isEqualTo(1);
        registry.applyRead(event("acc-1", "srv-a", AccountState.CONNECTED, "req-4"));
        assertThat(registry.account("acc-1"))
                .as("its partition is not held here")
                .isNull();
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void anOwnEventAcknowledgedWhileItsPartitionWasGivenUpIsAppliedWhenItsStateIsReadBack() {
        ConnectionEvent answer = event("acc-1", "srv-a", AccountState.QR_REQUIRED, "req-1");
        AccountStateRecord state = registry.expectOwn(answer);
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
        registry.holdOnly(accountId -> held.get());

        held.set(false); // the partition is lost while the event is under way
        registry.forget(accountId -> true);
        registry.applyOwn(answer);
        assertThat(registry.account("acc-1")).isNull();

        held.set(true); // taken again: its state is read from the beginning
        registry.applyState(state);
        assertThat(registry.account("acc-1")).as("the answer read back").isNotNull();
        assertThat(registry.answered("acc-1", "req-1"))
                .as("so that the request, replayed, is answered once")
                .isTrue();
    }

    @Test
    void anOlderStateReadBackAfterThePartitionIsTakenAgainDoesNotUndoAnOwnAnswerAppliedMeanwhile() {
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
        registry.holdOnly(accountId -> held.get());
        ConnectionEvent pending = event("acc-1", "srv-a", AccountState.PENDING, "req-1");
        AccountStateRecord pendingState = registry.expectOwn(pending);
        registry.applyOwn(pending);
        registry.applyState(pendingState);

        held.set(false); // the partition is lost while the request is under way
        registry.forget(accountId -> true);
        held.set(true); // and taken again: its states are read from the beginning, from here on
        ConnectionEvent answer = event("acc-1", "srv-a", AccountState.QR_REQUIRED, "req-1");
        AccountStateRecord answerState = registry.expectOwn(answer);
        registry.applyOwn(answer); // the answer's commit comes before the read-back reaches the older state
        registry.applyState(pendingState);
        assertThat(registry.answered("acc-1", "req-1"))
                .as("the older state read back must not undo the answer: the replayed request would be handled again")
                .isTrue();
        assertThat(registry.account("acc-1").state()).isEqualTo(AccountState.QR_REQUIRED);

        registry.applyState(answerState);
        assertThat(registry.account("acc-1").state()).isEqualTo(AccountState.QR_REQUIRED);
        assertThat(registry.answered("acc-1", "req-1")).isTrue();
        assertThat(registry.pending("srv-a")).isEqualTo(1);
    }

    @Test
    void requestIdsAreRememberedPerAccountUpToALimit() {
        for (int i = 0; i <= AccountRegistry.REQUEST_IDS_KEPT; i++) {
            registry.applyRead(event("acc-1", "srv-a", AccountState.QR_REQUIRED, "req-" + i));
        }

        assertThat(registry.answered("acc-1", "req-" + AccountRegistry.REQUEST_IDS_KEPT))
                .isTrue();
        assertThat(registry.answered("acc-1", "req-1")).isTrue();
        assertThat(registry.answered("acc-1", "req-0")).isFalse();
        assertThat(registry.answered("acc-2", "req-1")).isFalse();
    }

    @Test
    void onlyAnswersMarkARequestAsAnswered() {
        registry.applyRead(event("acc-1", "srv-a", AccountState.PENDING, "req-1"));
        registry.applyRead(event("acc-1", "srv-a", AccountState.MIGRATING, "req-2"));
        assertThat(registry.answered("acc-1", "req-1")).isFalse();
        assertThat(registry.answered("acc-1", "req-2")).isFalse();

        registry.applyRead(event("acc-1", "srv-a", AccountState.FAILED, "req-2"));
        assertThat(registry.answered("acc-1", "req-2")).isTrue();
    }

    @Test
    void anOwnEventCountsItsSeatAtOnceButShowsOnlyOnceTheBrokerHasIt() {
        ConnectionEvent pending = event("acc-1", "srv-a", AccountState.PENDING, "req-1");

        AccountStateRecord state = registry.expectOwn(pending);
        assertThat(registry.account("acc-1")).as("not acknowledged yet").isNull();
        assertThat(registry.pending("srv-a"))
                .as("the seat is taken for selection")
                .isEqualTo(1);

        registry.applyOwn(pending);
        registry.applyState(state);
        assertThat(registry.account("acc-1").state()).isEqualTo(AccountState.PENDING);
        assertThat(registry.pending("srv-a")).isEqualTo(1);
    }

    @Test
    void anOwnStateReadBackBeforeItsAcknowledgementIsAppliedOnce() {
        ConnectionEvent pending = event("acc-1", "srv-a", AccountState.PENDING, "req-1");

        AccountStateRecord state = registry.expectOwn(pending);
        registry.applyState(state);
        registry.applyOwn(pending);

        assertThat(registry.account("acc-1").state()).isEqualTo(AccountState.PENDING);
        assertThat(registry.account("acc-1").lastEventId()).isEqualTo(pending.getEventId());
        assertThat(registry.pending("srv-a"))
                .as("counted once, the reserved seat given back")
                .isEqualTo(1);
    }

    @Test
    void anOwnEventTheBrokerDidNotTakeChangesNothingAndGivesItsSeatBack() {
        ConnectionEvent pending = event("acc-1", "srv-a", AccountState.PENDING, "req-1");

        registry.expectOwn(pending);
        registry.abandonOwn(pending);

        assertThat(registry.account("acc-1")).isNull();
        assertThat(registry.pending("srv-a")).isZero();
    }

    @Test
    void theStateWrittenWithAnEventFollowsTheEventsSentBeforeIt() {
        ConnectionEvent pending = event("acc-1", "srv-a", AccountState.PENDING, "req-1");
        ConnectionEvent qr = event("acc-1", null, AccountState.QR_REQUIRED, "req-1");

        registry.expectOwn(pending);
        AccountStateRecord after = registry.expectOwn(qr); // before the first is acknowledged

        assertThat(after.getServerId()).as("kept from the event before").isEqualTo("srv-a");
        assertThat(after.getState()).isEqualTo(AccountState.QR_REQUIRED);
        assertThat(after.getAnsweredRequests()).containsExactly("req-1");
        assertThat(after.getLastEventId()).isEqualTo(qr.getEventId());
    }

    @Test
    void ownEventsAreAppliedOnceAndNotRolledBackWhenTheirStatesAreReadBack() {
        ConnectionEvent pending = event("acc-1", "srv-a", AccountState.PENDING, "req-1");
        ConnectionEvent qr = event("acc-1", null, AccountState.QR_REQUIRED, "req-1");

        AccountStateRecord first = registry.expectOwn(pending);
        AccountStateRecord second = registry.expectOwn(qr);
        registry.applyOwn(pending);
        registry.applyOwn(qr);
        registry.applyState(first);
        registry.applyState(second);

        assertThat(registry.account("acc-1").state()).isEqualTo(AccountState.QR_REQUIRED);
        assertThat(registry.pending("srv-a")).isEqualTo(1);
    }

    @Test
    void aStateAnotherRouterWroteReplacesTheAccountAndItsCounts() {
        registry.applyRead(event("acc-1", "srv-a", AccountState.QR_REQUIRED, "req-1"));
        AccountStateRecord moved = AccountFold.record(new Account(
                "acc-1",
                "Account 1",
                "srv-b",
                AccountState.CONNECTED,
                "conn-9",
                null,
                null,
                null,
                "req-2",
                null,
                "ops",
                1,
                java.time.Instant.parse("2026-01-01T00:00:00Z"),
                java.util.List.of("req-1", "req-2"),
                "event-9"));

        registry.applyState(moved);

        assertThat(registry.account("acc-1")).isEqualTo(AccountFold.of(moved, id -> id));
        assertThat(registry.pending("srv-a")).isZero();
        assertThat(registry.activeCount("srv-b")).isEqualTo(1);
        assertThat(registry.answered("acc-1", "req-2")).isTrue();
    }

    @Test
    void activeAccountsOfAServerLeaveOutDisconnectedAndFailedOnes() {
        registry.applyRead(event("acc-1", "srv-a", AccountState.CONNECTED, "req-1"));
        registry.applyRead(event("acc-2", "srv-a", AccountState.QR_REQUIRED, "req-2"));
        registry.applyRead(event("acc-3", "srv-a", AccountState.DISCONNECTED, "req-3"));
        registry.applyRead(event("acc-4", "srv-b", AccountState.CONNECTED, "req-4"));

        assertThat(registry.activeOn(java.util.Set.of("srv-a")))
                .extracting(Account::accountId)
                .containsExactlyInAnyOrder("acc-1", "acc-2");
        assertThat(registry.activeOn(java.util.Set.of("srv-a", "srv-b")))
                .extracting(Account::accountId)
                .containsExactlyInAnyOrder("acc-1", "acc-2", "acc-4");
        assertThat(registry.size()).isEqualTo(4);
        assertThat(registry.activeCount("srv-a")).isEqualTo(2);
        assertThat(registry.activeCount("srv-b")).isEqualTo(1);
        assertThat(registry.activeCount("srv-none")).isZero();

        // The counts follow the accounts: one moves to srv-b, one fails, one comes back.
        registry.applyRead(event("acc-1", "srv-b", AccountState.MIGRATING, "req-5"));
        registry.applyRead(event("acc-2", "srv-a", AccountState.FAILED, "req-6"));
        registry.applyRead(event("acc-3", "srv-a", AccountState.PENDING, "req-7"));
        assertThat(registry.activeCount("srv-a"))
                .isEqualTo(registry.activeOn(java.util.Set.of("srv-a")).size())
                .isEqualTo(1);
        assertThat(registry.activeCount("srv-b"))
                .isEqualTo(registry.activeOn(java.util.Set.of("srv-b")).size())
                .isEqualTo(2);
    }

    private static ConnectionEvent event(String account, String server, AccountState state, String requestId) {
        return ConnectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRequestId(requestId)
                .setAccountId(account)
                .setServerId(server)
                .setState(state)
                .setQrCode(state == AccountState.QR_REQUIRED ? "data:image/png;base64,AAAA" : null)
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }
}
