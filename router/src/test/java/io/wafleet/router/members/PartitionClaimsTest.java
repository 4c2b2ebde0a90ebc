package io.wafleet.router.members;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.RouterMember;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who handles a partition, from the instances' records: latest claim wins, silent instances stop counting. */
class PartitionClaimsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private final PartitionClaims claims = new PartitionClaims(Duration.ofSeconds(15));

    @Test
    void theLatestClaimOfAPartitionWinsAndAPartitionGivenUpIsNoLongerClaimed() {
        claims.heard(member("a", 0, 1, 2), T0);
        claims.heard(member("b", 2), T0.plusSeconds(1));

        assertThat(claims.owner(0, T0.plusSeconds(2)).getRouterId()).isEqualTo("a");
        assertThat(claims.owner(2, T0.plusSeconds(2)).getRouterId()).isEqualTo("b");

        claims.heard(member("a", 0), T0.plusSeconds(3));
        assertThat(claims.owner(1, T0.plusSeconds(3)))
                .as("given up by a, taken by nobody yet")
                .isNull();
        assertThat(claims.owner(2, T0.plusSeconds(3)).getRouterId()).isEqualTo("b");
    }

    @Test
    void anInstanceNotHeardFromLatelyOrGoneOwnsNothing() {
        claims.heard(member("a", 0), T0);
        claims.heard(member("b", 1), T0);

        assertThat(claims.owner(0, T0.plusSeconds(15)).getRouterId()).isEqualTo("a");
        assertThat(claims.owner(0, T0.plusSeconds(16)))
                .as("died without its tombstone")
                .isNull();
        assertThat(claims.live(T0.plusSeconds(16))).isEmpty();

        claims.heard(member("b", 1), T0.plusSeconds(16));
        claims.gone("b");
        assertThat(claims.owner(1, T0.plusSeconds(16))).isNull();
        assertThat(claims.live(T0.plusSeconds(16))).isEmpty();
    }

    private static RouterMember member(String id, Integer... partitions) {
        return RouterMember.newBuilder()
                .setRouterId(id)
                .setApiUrl("http://" + id + ":8080")
                .setPartitions(List.of(partitions))
                .setUpdatedAt(T0)
                .build();
    }
}
