package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnEventsTest {

    private final OwnEvents own = new OwnEvents();

    @Test
    void anEventIsAppliedByTheFirstOfItsTwoWaysOnly() {
        assertThat(own.acknowledged("e1", "acc-1", true)).isTrue();
        assertThat(own.readBack("e1", "acc-1")).isFalse();

        own.sent("e2", "srv-a");
        assertThat(own.readBack("e2", "acc-1")).isTrue();
        assertThat(own.acknowledged("e2", "acc-1", true)).isFalse();
    }

    @Test
    void statesReadBeforeAnAcknowledgedEventIsReadBackAreOlderAndSkipped() {
        assertThat(own.acknowledged("e2", "acc-1", true)).isTrue();
        assertThat(own.acknowledged("e3", "acc-1", true)).isTrue();

        assertThat(own.readBack("e1", "acc-1")).as("older than e2").isFalse();
        assertThat(own.readBack("e9", "acc-2")).as("another account").isTrue();
        assertThat(own.readBack("e2", "acc-1")).isFalse();
        assertThat(own.readBack("e1", "acc-1")).as("still older than e3").isFalse();
        assertThat(own.readBack("e3", "acc-1")).isFalse();
        assertThat(own.readBack("e4", "acc-1")).as("after every own event").isTrue();
    }

    @Test
    void anEventAcknowledgedForAnAccountNotHeldIsLeftToItsReadBack() {
        assertThat(own.acknowledged("e1", "acc-1", false)).isFalse();
        assertThat(own.readBack("e1", "acc-1")).isTrue();
    }

    @Test
    void aSentEventKeepsItsSeatUntilReleased() {
        own.sent("e1", "srv-a");
        own.sent("e2", "");

        assertThat(own.released("e1")).isEqualTo("srv-a");
        assertThat(own.released("e1")).isNull();
        assertThat(own.released("e2")).isEmpty();
    }

    @Test
    void forgottenAccountsAreNotWaitedFor() {
        own.acknowledged("e1", "acc-1", true);
        own.forget(accountId -> accountId.equals("acc-1"));

        assertThat(own.readBack("e0", "acc-1")).isTrue();
    }
}
