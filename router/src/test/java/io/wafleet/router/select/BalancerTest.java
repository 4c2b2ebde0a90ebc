package io.wafleet.router.select;

import static io.wafleet.router.select.Servers.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wafleet.avro.LbAlgorithm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each algorithm on its own, over fixed tiers. */
class BalancerTest {

    private static final Predicate<ServerView> ANY = server -> true;

    @Test
    void roundRobinVisitsEveryFittingServerInTurn() {
        ServerView[] tier = {server("a", 1, 10, 0), server("b", 1, 10, 0), server("c", 1, 10, 0)};
        Balancer balancer = Balancer.of(LbAlgorithm.ROUND_ROBIN);

        List<String> picks = picks(balancer, tier, server -> !server.id().equals("b"), 4);

        assertThat(picks).containsExactly("a", "c", "c", "a");
    }

    @Test
    void smoothWeightedRoundRobinInterleavesAsNginxDoes() {
        ServerView[] tier = {server("a", 5, 10, 0), server("b", 1, 10, 0), server("c", 1, 10, 0)};

        List<String> picks = picks(Balancer.of(LbAlgorithm.WEIGHTED_ROUND_ROBIN), tier, ANY, 7);

        // nginx's documented sequence for weights 5, 1, 1.
        assertThat(picks).containsExactly("a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void weightedRoundRobinMatchesTheWeightsWithinOnePercentOver10000Picks() {
        ServerView[] tier = {server("a", 10, 10, 0), server("b", 7, 10, 0), server("c", 2, 10, 0), server("d", 1, 10, 0)
        };
        Map<String, Integer> counts = new HashMap<>();
        picks(Balancer.of(LbAlgorithm.WEIGHTED_ROUND_ROBIN), tier, ANY, 10_000)
                .forEach(id -> counts.merge(id, 1, Integer::sum));

        assertThat(counts.get("a") / 10_000.0).isCloseTo(0.50, within(0.005));
        assertThat(counts.get("b") / 10_000.0).isCloseTo(0.35, within(0.0035));
        assertThat(counts.get("c") / 10_000.0).isCloseTo(0.10, within(0.001));
        assertThat(counts.get("d") / 10_000.0).isCloseTo(0.05, within(0.0005));
    }

    @Test
    void weightedRoundRobinSkipsServersThatDoNotFitAndZeroWeights() {
        ServerView[] tier = {server("a", 3, 10, 0), server("b", 0, 10, 0), server("c", 1, 10, 0)};

        List<String> picks = picks(
                Balancer.of(LbAlgorithm.WEIGHTED_ROUND_ROBIN),
                tier,
                server -> !server.id().equals("a"),
                5);

        assertThat(picks).containsOnly("c");
    }

    @Test
    void leastConnectionsCountsAssignedButUnreportedAccounts() {
        ServerView[] tier = {server("a", 1, 100, 10), server("b", 1, 100, 12)};
        Load pending = id -> id.equals("a") ? 5 : 0;

        assertThat(Balancer.of(LbAlgorithm.LEAST_CONNECTIONS)
                        .pick(tier, ANY, Load.NONE)
                        .id())
                .isEqualTo("a");
        assertThat(Balancer.of(LbAlgorithm.LEAST_CONNECTIONS)
                        .pick(tier, ANY, pending)
                        .id())
                .isEqualTo("b");
    }

    @Test
    void leastConnectionsSpreadsTiesOverTheTiedServers() {
        ServerView[] tier = {server("a", 1, 100, 3), server("b", 1, 100, 3), server("c", 1, 100, 9)};

        List<String> picks = picks(Balancer.of(LbAlgorithm.LEAST_CONNECTIONS), tier, ANY, 200);

        assertThat(picks).contains("a", "b").doesNotContain("c");
    }

    @Test
    void leastUtilizationWeighsLoadAgainstCapacity() {
        ServerView[] tier = {server("big", 1, 1000, 500), server("small", 1, 100, 40)};

        assertThat(Balancer.of(LbAlgorithm.LEAST_UTILIZATION)
                        .pick(tier, ANY, Load.NONE)
                        .id())
                .isEqualTo("small");
        assertThat(Balancer.of(LbAlgorithm.LEAST_CONNECTIONS)
                        .pick(tier, ANY, Load.NONE)
                        .id())
                .isEqualTo("small");
        ServerView[] other = {server("big", 1, 1000, 300), server("small", 1, 100, 40)};
        assertThat(Balancer.of(LbAlgorithm.LEAST_UTILIZATION)
                        .pick(other, ANY, Load.NONE)
                        .id())
                .isEqualTo("big");
    }

    @Test
    void leastUtilizationCountsAServerWithoutCapacityAsFullAndPassesOverALighterOneThatDoesNotFit() {
        ServerView[] tier = {
            server("none", 1, 0, 0), server("p34", 1, 100, 34), server("light", 1, 100, 1), server("third", 1, 3, 1)
        };
        Balancer balancer = Balancer.of(LbAlgorithm.LEAST_UTILIZATION);

        // 1/3 is less than 34/100 (0.333… < 0.34), whatever the start of the pass; none counts as 1.
        assertThat(picks(balancer, tier, server -> !server.id().equals("light"), 50))
                .containsOnly("third");
        assertThat(picks(balancer, tier, server -> !Set.of("light", "third").contains(server.id()), 50))
                .containsOnly("p34");
        assertThat(picks(balancer, tier, server -> server.id().equals("none"), 5))
                .containsOnly("none");
    }

    @Test
    void powerOfTwoChoicesTakesTheLessUtilizedOfTwo() {
        ServerView[] tier = {server("busy", 1, 100, 90), server("idle", 1, 100, 10)};

        assertThat(picks(Balancer.of(LbAlgorithm.POWER_OF_TWO_CHOICES), tier, ANY, 50))
                .containsOnly("idle");
    }

    @Test
    void powerOfTwoChoicesFavoursLightServersInALargeTier() {
        ServerView[] tier = new ServerView[100];
        for (int i = 0; i < tier.length; i++) {
            tier[i] = server("s" + i, 1, 100, i);
        }
        double meanLoad = picks(Balancer.of(LbAlgorithm.POWER_OF_TWO_CHOICES), tier, ANY, 5_000).stream()
                .mapToInt(id -> Integer.parseInt(id.substring(1)))
                .average()
                .orElseThrow();

        // Uniform choice would average 49.5; the lighter of two averages ~33.
        assertThat(meanLoad).isLessThan(38);
    }

    @Test
    void fillFirstFillsServersInOrder() {
        ServerView[] tier = {server("a", 1, 10, 10), server("b", 1, 10, 3), server("c", 1, 10, 0)};

        assertThat(Balancer.of(LbAlgorithm.FILL_FIRST)
                        .pick(tier, server -> server.freeCapacity(Load.NONE) > 0, Load.NONE)
                        .id())
                .isEqualTo("b");
    }

    @ParameterizedTest
    @EnumSource(LbAlgorithm.class)
    void everyAlgorithmAnswersNullWhenNothingFitsAndNeverPicksAServerThatDoesNot(LbAlgorithm algorithm) {
        ServerView[] tier = {server("a", 1, 10, 0), server("b", 1, 10, 0), server("c", 2, 10, 0)};
        Balancer balancer = Balancer.of(algorithm);

        assertThat(balancer.pick(tier, server -> false, Load.NONE)).isNull();
        assertThat(balancer.pick(new ServerView[0], ANY, Load.NONE)).isNull();
        assertThat(picks(balancer, tier, server -> server.id().equals("c"), 20)).containsOnly("c");
    }

    /** Tiers above 64 servers take the earliest-deadline form: from 100 (a 1,000-server fleet's tier) to 900. */
    @ParameterizedTest
    @ValueSource(ints = {100, 900})
    void weightedRoundRobinOnALargeTierMatchesTheWeightsWithinOnePercent(int size) {
        ServerView[] tier = new ServerView[size];
        for (int i = 0; i < tier.length; i++) {
            tier[i] = server("s" + i, 1 + i % 3, 10, 0);
        }
        int n = size * 20;
        Map<Integer, Integer> byWeight = new HashMap<>();
        List<String> picks = picks(Balancer.of(LbAlgorithm.WEIGHTED_ROUND_ROBIN), tier, ANY, n);
        picks.forEach(id -> byWeight.merge(1 + Integer.parseInt(id.substring(1)) % 3, 1, Integer::sum));

        // The servers of weight w take their share of the total weight, within one percent of it.
        Map<Integer, Integer> weightOf = new HashMap<>();
        for (ServerView server : tier) {
            weightOf.merge(server.weight(), server.weight(), Integer::sum);
        }
        double total = weightOf.values().stream().mapToInt(Integer::intValue).sum();
        for (int weight = 1; weight <= 3; weight++) {
            double share = weightOf.get(weight) / total;
            assertThat(byWeight.get(weight) / (double) n)
                    .as("weight %d", weight)
                    .isCloseTo(share, within(share / 100));
        }
        // Smooth: no server twice in a row.
        for (int i = 1; i < picks.size(); i++) {
            assertThat(picks.get(i)).isNotEqualTo(picks.get(i - 1));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 600})
    void aLargeTierSkipsServersThatDoNotFitWithoutGivingThemABurstLater(int size) {
        ServerView[] tier = new ServerView[size];
        for (int i = 0; i < tier.length; i++) {
            tier[i] = server("s" + i, 1, 10, 0);
        }
        Balancer balancer = Balancer.of(LbAlgorithm.WEIGHTED_ROUND_ROBIN);

        List<String> whileOut = picks(balancer, tier, server -> !server.id().equals("s0"), size * 5);
        List<String> afterwards = picks(balancer, tier, ANY, size);

        assertThat(whileOut).doesNotContain("s0");
        // Its share over one round (as many picks as equal servers) is one; had its deadline stayed five rounds
        // behind, it would take six picks in a row.
        assertThat(afterwards.stream().filter("s0"::equals).count()).isBetween(1L, 2L);
    }

    @Test
    void leastConnectionsOnALargeTierStartsWithTheLightestAndEvensOut() {
        ServerView[] tier = new ServerView[600];
        for (int i = 0; i < tier.length; i++) {
            tier[i] = server("s" + i, 1, 1_000, i % 2 == 0 ? 0 : 5);
        }
        Balancer balancer = Balancer.of(LbAlgorithm.LEAST_CONNECTIONS);

        List<String> first = picks(balancer, tier, ANY, 300 * 5);

        // The 300 empty servers take five accounts each before any loaded one takes one.
        assertThat(first).allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0);
        assertThat(first.stream().distinct().count()).isEqualTo(300);
        assertThat(balancer.pick(tier, server -> server.id().equals("s1"), Load.NONE)
                        .id())
                .isEqualTo("s1");
    }

    @Test
    void leastUtilizationOnALargeTierWeighsCapacity() {
        ServerView[] tier = new ServerView[600];
        for (int i = 0; i < tier.length; i++) {
            tier[i] = i == 7 ? server("big", 1, 10_000, 100) : server("s" + i, 1, 100, 10);
        }

        assertThat(Balancer.of(LbAlgorithm.LEAST_UTILIZATION)
                        .pick(tier, ANY, Load.NONE)
                        .id())
                .isEqualTo("big");
    }

    private static List<String> picks(Balancer balancer, ServerView[] tier, Predicate<ServerView> fits, int n) {
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picks.add(balancer.pick(tier, fits, Load.NONE).id());
        }
        return picks;
    }
}
