package io.wafleet.router.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.LbAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A snapshot that resolved its servers' load cells selects exactly as one that looks each load up, while the
 * counters move after the snapshot was built.
 */
class ServerLoadsTest {

    @Test
    void resolvedCellsAndLookupsGiveTheSameSelectionsForEveryAlgorithm() {
        for (LbAlgorithm algorithm : LbAlgorithm.values()) {
            Random random = new Random(algorithm.ordinal());
            List<ServerView> servers = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                servers.add(Servers.server(
                        "s" + i,
                        i % 10 == 0 ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY,
                        "production",
                        "eu",
                        Set.of(),
                        1 + i % 2,
                        100,
                        random.nextInt(90)));
            }
            ServerLoads loads = new ServerLoads();
            Fleet resolved = Fleet.of(servers, loads);
            Fleet looked = Fleet.of(servers);
            Load lookup = loads::pending;
            Selector withCells = new Selector();
            Selector withLookups = new Selector();
            PoolRules rules = PoolRules.only(new PoolRule(algorithm, true, true, 0.5));
            SelectionRequest request = new SelectionRequest("production", null, Set.of(), 5, null, null);

            for (int pick = 0; pick < 2_000; pick++) {
                // The counters move after both snapshots were built, as the account registry moves them.
                String moved = "s" + random.nextInt(servers.size());
                loads.cell(moved).addInProgress(random.nextInt(3));
                loads.cell(moved).addReserved(random.nextInt(2));

                Selection a = withCells.select(resolved, rules, request, Selector.Assignments.NONE, lookup);
                Selection b = withLookups.select(looked, rules, request, Selector.Assignments.NONE, lookup);

                // Least connections / utilization break ties at random: the same measure, not the same server.
                assertThat(outcome(algorithm, a, lookup))
                        .as("%s pick %d", algorithm, pick)
                        .isEqualTo(outcome(algorithm, b, lookup));
            }
            for (ServerView server : servers) {
                assertThat(resolved.server(server.id()).load(Load.NONE))
                        .as("the resolved view reads its counters, whatever Load it is given")
                        .isEqualTo(server.connected() + loads.pending(server.id()));
            }
        }
    }

    private static String outcome(LbAlgorithm algorithm, Selection selection, Load load) {
        if (!(selection instanceof Selection.Chosen chosen)) {
            return selection.toString();
        }
        return switch (algorithm) {
            case LEAST_CONNECTIONS ->
                "tier " + chosen.server().priority() + " load "
                        + chosen.server().load(load);
            case LEAST_UTILIZATION ->
                "tier " + chosen.server().priority() + " utilization "
                        + chosen.server().utilization(load);
            // Two candidates at random: either way a server is chosen (its load read below, view by view).
            case POWER_OF_TWO_CHOICES -> "chosen";
            default -> chosen.server().id();
        };
    }
}
