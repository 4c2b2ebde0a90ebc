package io.wafleet.router.balance;

import io.wafleet.avro.LbAlgorithm;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.ServerView;
import java.util.function.Predicate;

/**
 * Picks one server of a tier among those that fit the request, by one algorithm. An instance belongs to one tier of
 * one pool and keeps that tier's state (a round-robin position, smooth weights); it is safe for concurrent use.
 */
public interface Balancer {

    /** One of {@code servers} for which {@code fits} holds, or null when none does. */
    ServerView pick(ServerView[] servers, Predicate<ServerView> fits, Load load);

    static Balancer of(LbAlgorithm algorithm) {
        return switch (algorithm) {
            case ROUND_ROBIN -> new RoundRobin();
            case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedRoundRobin();
            case LEAST_CONNECTIONS -> new LeastLoaded(LeastLoaded.Measure.CONNECTIONS);
            case LEAST_UTILIZATION -> new LeastLoaded(LeastLoaded.Measure.UTILIZATION);
            case POWER_OF_TWO_CHOICES -> new PowerOfTwoChoices();
            case FILL_FIRST -> new FillFirst();
        };
    }
}
