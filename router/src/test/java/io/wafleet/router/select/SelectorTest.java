package io.wafleet.router.select;

import static io.wafleet.router.select.Servers.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.LbAlgorithm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Selection semantics, over hand-made fleets and over many generated ones checked against a brute-force oracle. */
class SelectorTest {

    private static final String[] ENVIRONMENTS = {"production", "staging", "development"};
    private static final String[] LOCATIONS = {"eu", "us", "ap"};
    private static final String[] TAGS = {"primary", "backup", "high-capacity"};

    private final Selector selector = new Selector();

    @RepeatedTest(300)
    void aGeneratedFleetNeverYieldsAServerOutsideTheRulesAndAlwaysTheBestTier(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<ServerView> servers = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(40); i++) {
            servers.add(randomServer(random, i));
        }
        Fleet fleet = Fleet.of(servers);
        PoolRule rule = new PoolRule(
                LbAlgorithm.values()[random.nextInt(LbAlgorithm.values().length)],
                random.nextInt(5) > 0,
                random.nextInt(4) > 0,
                0.5);
        SelectionRequest request = new SelectionRequest(
                random.nextInt(6) == 0 ? null : ENVIRONMENTS[random.nextInt(3)],
                random.nextBoolean() ? null : LOCATIONS[random.nextInt(3)],
                random.nextInt(3) == 0 ? Set.of(TAGS[random.nextInt(3)]) : Set.of(),
                1 + random.nextInt(30),
                null,
                null);
        Load pending = id -> id.hashCode() % 3 == 0 ? 5 : 0;

        Selection selection = selector.select(fleet, PoolRules.only(rule), request, Selector.Assignments.NONE, pending);

        Pool pool = fleet.pool(request.environment(), request.location());
        boolean widened = pool.inPanic(rule.panicThreshold()) || !rule.healthCheckRequired();
        List<ServerView> qualifying = servers.stream()
                .filter(s -> request.environment() == null || s.environment().equals(request.environment()))
                .filter(s -> request.location() == null || s.location().equals(request.location()))
                .filter(s -> s.enabled() && s.weight() > 0)
                .filter(s -> s.status() == HealthStatus.HEALTHY
                        || (widened && (s.status() == HealthStatus.DEGRADED || s.status() == HealthStatus.UNKNOWN)))
                .filter(s -> s.hasTags(request.tags()))
                .filter(s -> s.freeCapacity(pending) >= request.minCapacity())
                .toList();
        int bestTier = servers.stream()
                .filter(s -> request.environment() == null || s.environment().equals(request.environment()))
                .filter(s -> request.location() == null || s.location().equals(request.location()))
                .filter(Pool::routable)
                .mapToInt(ServerView::priority)
                .min()
                .orElse(Integer.MAX_VALUE);
        List<ServerView> allowed = rule.failoverEnabled()
                ? qualifying
                : qualifying.stream().filter(s -> s.priority() == bestTier).toList();
        if (allowed.isEmpty()) {
            assertThat(selection).isInstanceOf(Selection.NoServer.class);
        } else {
            int expectedPriority =
                    allowed.stream().mapToInt(ServerView::priority).min().orElseThrow();
            assertThat(selection).isInstanceOfSatisfying(Selection.Chosen.class, chosen -> {
                assertThat(allowed).contains(chosen.server());
                assertThat(chosen.server().priority()).isEqualTo(expectedPriority);
                assertThat(chosen.panic()).isEqualTo(pool.inPanic(rule.panicThreshold()));
            });
        }
    }

    @Test
    void whenTheFirstTierIsFullTheNextTierTakesOverUnlessFailoverIsOff() {
        Fleet fleet = Fleet.of(List.of(
                server("primary", HealthStatus.HEALTHY, "production", "eu", Set.of(), 1, 10, 10),
                server("backup", HealthStatus.HEALTHY, "production", "eu", Set.of(), 2, 10, 0)));
        SelectionRequest request = SelectionRequest.in("production");

        Selection withFailover =
                selector.select(fleet, PoolRules.only(PoolRule.DEFAULT), request, Selector.Assignments.NONE, Load.NONE);
        Selection withoutFailover = selector.select(
                fleet,
                PoolRules.only(new PoolRule(LbAlgorithm.ROUND_ROBIN, true, false, 0.5)),
                request,
                Selector.Assignments.NONE,
                Load.NONE);

        assertThat(((Selection.Chosen) withFailover).server().id()).isEqualTo("backup");
        assertThat(withoutFailover)
                .isInstanceOfSatisfying(
                        Selection.NoServer.class,
                        none -> assertThat(none.reason())
                                .contains("environment production")
                                .contains("1 with fewer than 1 free accounts")
                                .contains("failover disabled"));
    }

    @Test
    void aPoolInPanicWidensToDegradedAndUnknownServers() {
        List<ServerView> servers = new ArrayList<>();
        servers.add(server("ok", HealthStatus.HEALTHY, "production", "eu", Set.of(), 1, 10, 10));
        for (int i = 0; i < 3; i++) {
            servers.add(server("slow-" + i, HealthStatus.DEGRADED, "production", "eu", Set.of(), 1, 10, 0));
        }
        Fleet fleet = Fleet.of(servers);

        Selection panic = selector.select(
                fleet,
                PoolRules.only(PoolRule.DEFAULT),
                SelectionRequest.in("production"),
                Selector.Assignments.NONE,
                Load.NONE);

        assertThat(panic).isInstanceOfSatisfying(Selection.Chosen.class, chosen -> {
            assertThat(chosen.panic()).isTrue();
            assertThat(chosen.server().status()).isEqualTo(HealthStatus.DEGRADED);
        });
    }

    @Test
    void withoutPanicDegradedServersAreNotCandidates() {
        List<ServerView> servers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            servers.add(server("ok-" + i, HealthStatus.HEALTHY, "production", "eu", Set.of(), 1, 10, 10));
        }
        servers.add(server("slow", HealthStatus.DEGRADED, "production", "eu", Set.of(), 1, 10, 0));

        Selection selection = selector.select(
                Fleet.of(servers),
                PoolRules.only(PoolRule.DEFAULT),
                SelectionRequest.in("production"),
                Selector.Assignments.NONE,
                Load.NONE);

        assertThat(selection)
                .isInstanceOfSatisfying(
                        Selection.NoServer.class,
                        none -> assertThat(none.reason())
                                .contains("1 not healthy")
                                .contains("3 with fewer than 1 free accounts"));
    }

    @Test
    void anAssignedAccountStaysOnItsServerUntilThatServerIsUnhealthy() {
        ServerView home = server("home", HealthStatus.DEGRADED, "production", "eu", Set.of(), 1, 10, 10);
        ServerView other = server("other", HealthStatus.HEALTHY, "production", "eu", Set.of(), 1, 10, 0);
        SelectionRequest request = new SelectionRequest("production", null, null, 1, null, "acc-1");
        Selector.Assignments assignments = account -> account.equals("acc-1") ? "home" : null;

        Selection sticky = selector.select(
                Fleet.of(List.of(home, other)), PoolRules.only(PoolRule.DEFAULT), request, assignments, Load.NONE);
        ServerView homeDown = server("home", HealthStatus.UNHEALTHY, "production", "eu", Set.of(), 1, 10, 10);
        Selection moved = selector.select(
                Fleet.of(List.of(homeDown, other)), PoolRules.only(PoolRule.DEFAULT), request, assignments, Load.NONE);
        Selection gone = selector.select(
                Fleet.of(List.of(other)), PoolRules.only(PoolRule.DEFAULT), request, assignments, Load.NONE);

        assertThat(sticky).isInstanceOfSatisfying(Selection.Chosen.class, chosen -> {
            assertThat(chosen.server().id()).isEqualTo("home");
            assertThat(chosen.sticky()).isTrue();
        });
        assertThat(moved).isInstanceOfSatisfying(Selection.Chosen.class, chosen -> {
            assertThat(chosen.server().id()).isEqualTo("other");
            assertThat(chosen.sticky()).isFalse();
        });
        assertThat(((Selection.Chosen) gone).server().id()).isEqualTo("other");
    }

    @Test
    void aPoolRuleForTheLocationWinsOverTheEnvironmentsAndTheDefault() {
        io.wafleet.avro.LbRule environment = rule("production", null, LbAlgorithm.FILL_FIRST);
        io.wafleet.avro.LbRule location = rule("production", "eu", LbAlgorithm.LEAST_UTILIZATION);
        PoolRules rules = PoolRules.of(List.of(environment, location), PoolRule.DEFAULT);

        assertThat(rules.rule("production", "eu").algorithm()).isEqualTo(LbAlgorithm.LEAST_UTILIZATION);
        assertThat(rules.rule("production", "us").algorithm()).isEqualTo(LbAlgorithm.FILL_FIRST);
        assertThat(rules.rule("production", null).algorithm()).isEqualTo(LbAlgorithm.FILL_FIRST);
        assertThat(rules.rule("staging", null)).isEqualTo(PoolRule.DEFAULT);
    }

    private static io.wafleet.avro.LbRule rule(String environment, String location, LbAlgorithm algorithm) {
        return io.wafleet.avro.LbRule.newBuilder()
                .setId(environment + "/" + location)
                .setName(environment + "/" + location)
                .setEnvironment(environment)
                .setLocation(location)
                .setAlgorithm(algorithm)
                .setCreatedAt(java.time.Instant.EPOCH)
                .setUpdatedAt(java.time.Instant.EPOCH)
                .build();
    }

    private static ServerView randomServer(Random random, int i) {
        HealthStatus status = HealthStatus.values()[random.nextInt(HealthStatus.values().length)];
        Set<String> tags = new HashSet<>();
        for (String tag : TAGS) {
            if (random.nextBoolean()) {
                tags.add(tag);
            }
        }
        return new ServerView(
                "s" + i,
                "server-" + i,
                "http://s" + i,
                status,
                ENVIRONMENTS[random.nextInt(3)],
                LOCATIONS[random.nextInt(3)],
                tags,
                random.nextInt(8) > 0,
                1 + random.nextInt(3),
                random.nextInt(4),
                random.nextInt(60),
                random.nextInt(60),
                random.nextInt(5) > 0,
                null);
    }
}
