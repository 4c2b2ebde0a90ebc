package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnEventsTest {

    private final OwnEvents own = new OwnEvents();

    @Test
    void anEventIsAppliedByTheFirstOfItsTwoWaysOnly() {
        assertThat(own.acknowledged("e1", "acc-1", true)).isTrue();
        assertThat(own.readBack("e1", "acc-1", false)).isFalse();

        assertThat(own.readBack("e2", "acc-1", true)).isTrue();
        assertThat(own.acknowledged("e2", "acc-1", true)).isFalse();
    }

    @Test
    void statesReadBeforeAnAcknowledgedEventIsReadBackAreOlderAndSkipped() {
        assertThat(own.acknowledged("e2", "acc-1", true)).isTrue();
        assertThat(own.acknowledged("e3", "acc-1", true)).isTrue();

        assertThat(own.readBack("e1", "acc-1", false)).as("older than e2").isFalse();
        assertThat(own.readBack("e9", "acc-2", false)).as("another account").isTrue();
        assertThat(own.readBack("e2", "acc-1", false)).isFalse();
        assertThat(own.readBack("e1", "acc-1", false)).as("still older than e3").isFalse();
        assertThat(own.readBack("e3", "acc-1", false)).isFalse();
        assertThat(own.readBack("e4", "acc-1", false))
                .as("after every own event")
                .isTrue();
    }

    @Test
    void anEventAcknowledgedForAnAccountNotHeldIsLeftToItsReadBack() {
        assertThat(own.acknowledged("e1", "acc-1", false)).isFalse();
        assertThat(own.readBack("e1", "acc-1", false)).isTrue();
    }

    @Test
    void forgottenAccountsAreNotWaitedFor() {
        own.acknowledged("e1", "acc-1", true);
        own.forget(accountId -> accountId.equals("acc-1"));

        assertThat(own.readBack("e0", "acc-1", false)).isTrue();
    }
}
