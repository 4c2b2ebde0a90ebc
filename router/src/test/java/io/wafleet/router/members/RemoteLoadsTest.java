package io.wafleet.router.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.router.select.ServerLoads;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The other instances' accounts in progress, in the cells selection reads: replaced, taken out, never doubled. */
class RemoteLoadsTest {

    private final ServerLoads loads = new ServerLoads();
    private final RemoteLoads remote = new RemoteLoads(loads);

    @Test
    void eachInstancesLatestCountsAddUpWithThisInstancesOwn() {
        loads.cell("srv-a").addInProgress(1);
        remote.heard("router-b", Map.of("srv-a", 2, "srv-b", 1));
        remote.heard("router-c", Map.of("srv-a", 3));

        assertThat(loads.pending("srv-a")).isEqualTo(6);
        assertThat(loads.own()).as("what this instance tells the others").isEqualTo(Map.of("srv-a", 1));

        remote.heard("router-b", Map.of("srv-b", 4));
        assertThat(loads.pending("srv-a"))
                .as("b's new record replaces its old one")
                .isEqualTo(4);
        assertThat(loads.pending("srv-b")).isEqualTo(4);
    }

    @Test
    void anInstanceThatStopsOrGoesSilentNoLongerCounts() {
        remote.heard("router-b", Map.of("srv-a", 2));
        remote.heard("router-c", Map.of("srv-a", 3));

        remote.gone("router-b");
        assertThat(loads.pending("srv-a")).isEqualTo(3);
        remote.keepOnly(Set.of("router-b"));
        assertThat(loads.pending("srv-a")).isZero();
        remote.gone("router-c");
        assertThat(loads.pending("srv-a")).isZero();
    }
}
