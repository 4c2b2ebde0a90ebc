package io.wafleet.router.select;

import io.wafleet.avro.LbAlgorithm;
import java.util.function.Predicate;

/**
 * Picks one server of a tier among those that fit the request, by one algorithm. An instance belongs to one tier of
 * one pool and keeps that tier's state (a round-robin position, smooth weights); it is safe for concurrent use.
 */
public interface Balancer {

    /** One of {@code servers} for which {@code fits} holds, or null when none does. */
    ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load);

    /**
     * Tiers of more servers than this use the heap form of least loaded, which between two snapshots counts only
     * this router's own picks; below it the pass reads every candidate's live counters.
     */
    int LARGE_TIER = 512;

    /**
     * Tiers of more servers than this use the earliest-deadline form of weighted round robin: the same shares, an
     * O(log n) pick (faster than nginx's pass from a tier of 167 on: {@code git show b4d6c96:bench/README.md});
     * smaller tiers keep nginx's exact sequence.
     */
    int LARGE_WEIGHTED_TIER = 64;

    static Balancer of(LbAlgorithm algorithm) {
        return switch (algorithm) {
            case ROUND_ROBIN -> new RoundRobin();
            case WEIGHTED_ROUND_ROBIN ->
                new BySize(new SmoothWeightedRoundRobin(), new EarliestDeadlineWrr(), LARGE_WEIGHTED_TIER);
            case LEAST_CONNECTIONS ->
                new BySize(
                        new LeastLoaded(LeastLoaded.Measure.CONNECTIONS),
                        new LoadHeap(LeastLoaded.Measure.CONNECTIONS),
                        LARGE_TIER);
            case LEAST_UTILIZATION ->
                new BySize(
                        new LeastLoaded(LeastLoaded.Measure.UTILIZATION),
                        new LoadHeap(LeastLoaded.Measure.UTILIZATION),
                        LARGE_TIER);
            case POWER_OF_TWO_CHOICES -> new PowerOfTwoChoices();
            case FILL_FIRST -> new FillFirst();
        };
    }

    /** The pass over the tier up to {@code largeTier} servers, the heap form beyond. */
    record BySize(Balancer small, Balancer large, int largeTier) implements Balancer {
        @Override
        public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
            return (servers.length > largeTier ? large : small).pick(servers, fits, load);
        }
    }
}
