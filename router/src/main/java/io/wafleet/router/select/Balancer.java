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

    /** Tiers of more servers than this use the O(log n) forms of weighted round robin and least loaded. */
    int LARGE_TIER = 512;

    static Balancer of(LbAlgorithm algorithm) {
        return switch (algorithm) {
            case ROUND_ROBIN -> new RoundRobin();
            case WEIGHTED_ROUND_ROBIN -> new BySize(new SmoothWeightedRoundRobin(), new EarliestDeadlineWrr());
            case LEAST_CONNECTIONS ->
                new BySize(
                        new LeastLoaded(LeastLoaded.Measure.CONNECTIONS),
                        new LoadHeap(LeastLoaded.Measure.CONNECTIONS));
            case LEAST_UTILIZATION ->
                new BySize(
                        new LeastLoaded(LeastLoaded.Measure.UTILIZATION),
                        new LoadHeap(LeastLoaded.Measure.UTILIZATION));
            case POWER_OF_TWO_CHOICES -> new PowerOfTwoChoices();
            case FILL_FIRST -> new FillFirst();
        };
    }

    /** The exact pass for tiers up to {@link #LARGE_TIER} servers, the heap form beyond. */
    record BySize(Balancer small, Balancer large) implements Balancer {
        @Override
        public ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load) {
            return (servers.length > LARGE_TIER ? large : small).pick(servers, fits, load);
        }
    }
}
