package io.wafleet.router.balance;

import static io.wafleet.router.select.Servers.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wafleet.avro.LbAlgorithm;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.ServerView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    private static List<String> picks(Balancer balancer, ServerView[] tier, Predicate<ServerView> fits, int n) {
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picks.add(balancer.pick(tier, fits, Load.NONE).id());
        }
        return picks;
    }
}
