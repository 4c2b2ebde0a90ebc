package io.wafleet.router.select;

import static io.wafleet.router.select.Servers.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.LbAlgorithm;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutliersTest {

    private static final Duration BASE = Duration.ofSeconds(30);
    private static final OutlierRules RULES = new OutlierRules(true, 3, BASE, Duration.ofSeconds(100), 0.1);
    private static final PoolRules ROUND_ROBIN = PoolRules.only(new PoolRule(LbAlgorithm.ROUND_ROBIN, true, true, 0.5));
    private static final SelectionRequest PRODUCTION =
            new SelectionRequest("production", null, Set.of(), 1, null, null, null);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ServerLoads loads = new ServerLoads();
    private final AtomicReference<Fleet> fleet = new AtomicReference<>();
    private final Selector selector = new Selector(now::get);

    private Outliers outliers(OutlierRules rules, int servers) {
        fleet.set(Fleet.of(
                IntStream.range(0, servers)
                        .mapToObj(i -> server("s" + i, 1, 100, 0))
                        .toList(),
                loads));
        return new Outliers(rules, fleet::get, loads, now::get);
    }

    private Set<String> chosenOverManySelections() {
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            Selection selection =
                    selector.select(fleet.get(), ROUND_ROBIN, PRODUCTION, Selector.Assignments.NONE, Load.NONE);
            chosen.add(((Selection.Chosen) selection).server().id());
        }
        return chosen;
    }

    @Test
    void failedCallsInARowEjectTheServerAtOnceAndASuccessBetweenStartsTheCountAgain() {
        Outliers outliers = outliers(RULES, 20);

        assertThat(outliers.failed("s3", "CONNECT_REFUSED")).isFalse();
        assertThat(outliers.failed("s3", "CONNECT_REFUSED")).isFalse();
        outliers.succeeded("s3");
        assertThat(outliers.failed("s3", "CONNECT_REFUSED")).isFalse();
        assertThat(outliers.failed("s3", "CONNECT_REFUSED")).isFalse();
        assertThat(chosenOverManySelections()).contains("s3");

        assertThat(outliers.failed("s3", "CONNECT_REFUSED")).isTrue();

        assertThat(chosenOverManySelections()).hasSize(19).doesNotContain("s3");
        assertThat(outliers.ejections()).isEqualTo(1);
        assertThat(outliers.ejectedNow()).isEqualTo(1);
    }

    @Test
    void anEjectionEndsAfterItsTimeAndEachNextOneLastsLongerUpToTheMaximum() {
        Outliers outliers = outliers(RULES, 20);
        long[] expectedSeconds = {30, 60, 90, 100, 100};
        for (long seconds : expectedSeconds) {
            IntStream.range(0, 3).forEach(i -> outliers.failed("s1", "TIMEOUT"));
            ServerLoads.Cell cell = loads.cell("s1");
            long start = now.get();
            assertThat(cell.ejected(start + Duration.ofSeconds(seconds).toNanos() - 1))
                    .isTrue();
            assertThat(cell.ejected(start + Duration.ofSeconds(seconds).toNanos()))
                    .isFalse();
            now.addAndGet(Duration.ofSeconds(seconds).toNanos());
            assertThat(chosenOverManySelections()).contains("s1");
        }
    }

    @Test
    void aServerThatStaysInForSomeBaseEjectionTimesIsEjectedForLessNextTime() {
        Outliers outliers = outliers(RULES, 20);
        for (long seconds : new long[] {30, 60, 90}) { // ejected again as soon as each ejection ends
            IntStream.range(0, 3).forEach(i -> outliers.failed("s1", "TIMEOUT"));
            now.addAndGet(Duration.ofSeconds(seconds).toNanos());
        }
        // In for two base ejection times: the next ejection is the 2nd's again, not the 4th's.
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        long start = now.get();
        IntStream.range(0, 3).forEach(i -> outliers.failed("s1", "TIMEOUT"));

        assertThat(loads.cell("s1").ejected(start + Duration.ofSeconds(59).toNanos()))
                .isTrue();
        assertThat(loads.cell("s1").ejected(start + Duration.ofSeconds(60).toNanos()))
                .isFalse();
    }

    @Test
    void callsEndingWhileTheServerIsEjectedDoNotCount() {
        Outliers outliers = outliers(RULES, 20);
        IntStream.range(0, 3).forEach(i -> outliers.failed("s1", "TIMEOUT"));
        IntStream.range(0, 10)
                .forEach(i -> assertThat(outliers.failed("s1", "TIMEOUT")).isFalse());
        now.addAndGet(BASE.toNanos());

        assertThat(outliers.failed("s1", "TIMEOUT"))
                .as("the count starts again from none")
                .isFalse();
        assertThat(outliers.ejections()).isEqualTo(1);
    }

    @Test
    void noMoreThanTheMaximumShareOfAPoolIsEjectedAndAtLeastOneOfTwoOrMoreMayBe() {
        Outliers twenty = outliers(RULES, 20); // 10 % of 20: 2
        List.of("s0", "s1", "s2", "s3").forEach(id -> IntStream.range(0, 3).forEach(i -> twenty.failed(id, "TIMEOUT")));

        assertThat(twenty.ejectedNow()).isEqualTo(2);
        assertThat(twenty.refusedEjections()).isEqualTo(2);
        assertThat(chosenOverManySelections()).hasSize(18).contains("s2", "s3");
    }

    @Test
    void theLastServerOfAPoolIsNeverEjectedAndOfTwoOneMayBe() {
        Outliers one = outliers(RULES, 1);
        IntStream.range(0, 3).forEach(i -> one.failed("s0", "TIMEOUT"));
        assertThat(one.ejectedNow()).isZero();

        Outliers two = outliers(new OutlierRules(true, 3, BASE, BASE, 1.0), 2);
        List.of("s0", "s1").forEach(id -> IntStream.range(0, 3).forEach(i -> two.failed(id, "TIMEOUT")));
        assertThat(two.ejectedNow()).isEqualTo(1);
        assertThat(chosenOverManySelections()).containsExactly("s1");
    }

    @Test
    void aPoolInPanicChoosesEjectedServersTooAndOffNoServerIsEjected() {
        Outliers outliers = outliers(RULES, 20);
        IntStream.range(0, 3).forEach(i -> outliers.failed("s5", "TIMEOUT"));
        List<ServerView> mostlyDown = IntStream.range(0, 20)
                .mapToObj(i -> i == 5 || i == 6
                        ? server("s" + i, 1, 100, 0)
                        : server("s" + i, HealthStatus.DEGRADED, "production", "eu", Set.of(), 1, 100, 0))
                .toList();
        fleet.set(Fleet.of(mostlyDown, loads));

        assertThat(chosenOverManySelections()).contains("s5");

        Outliers off = outliers(new OutlierRules(false, 3, BASE, BASE, 0.1), 20);
        IntStream.range(0, 10).forEach(i -> off.failed("s7", "TIMEOUT"));
        assertThat(off.ejectedNow()).isZero();
    }

    @Test
    void aStickyAccountStaysOnAnEjectedServer() {
        Outliers outliers = outliers(RULES, 20);
        IntStream.range(0, 3).forEach(i -> outliers.failed("s4", "TIMEOUT"));
        SelectionRequest forAccount = new SelectionRequest("production", null, Set.of(), 1, null, "acc-1", null);

        Selection selection = selector.select(fleet.get(), ROUND_ROBIN, forAccount, id -> "s4", Load.NONE);

        assertThat(selection).isInstanceOfSatisfying(Selection.Chosen.class, chosen -> {
            assertThat(chosen.server().id()).isEqualTo("s4");
            assertThat(chosen.sticky()).isTrue();
        });
    }

    @Test
    void whenOnlyEjectedServersWouldFitTheReasonSaysSo() {
        Outliers outliers = outliers(new OutlierRules(true, 1, BASE, BASE, 1.0), 3);
        outliers.failed("s0", "TIMEOUT");
        SelectionRequest others = new SelectionRequest("production", null, Set.of(), 1, null, null, Set.of("s1", "s2"));

        Selection selection = selector.select(fleet.get(), ROUND_ROBIN, others, Selector.Assignments.NONE, Load.NONE);

        assertThat(selection)
                .isInstanceOfSatisfying(
                        Selection.NoServer.class,
                        none -> assertThat(none.reason()).contains("1 ejected by this router after failed calls"));
    }

    @Test
    void anEjectedServerTheHealthTableShowsDownAndThenUpIsTakenBackAtOnce() {
        Outliers outliers = outliers(RULES, 3);
        IntStream.range(0, 3).forEach(i -> outliers.failed("s1", "TIMEOUT"));
        Fleet healthy = fleet.get();

        outliers.snapshot(healthy);
        assertThat(loads.cell("s1").ejected(now.get()))
                .as("never seen down: still ejected")
                .isTrue();

        outliers.snapshot(Fleet.of(
                List.of(
                        server("s0", 1, 100, 0),
                        server("s1", HealthStatus.UNHEALTHY, "production", "eu", Set.of(), 1, 100, 0),
                        server("s2", 1, 100, 0)),
                loads));
        assertThat(loads.cell("s1").ejected(now.get())).isTrue();
        outliers.snapshot(healthy);

        assertThat(loads.cell("s1").ejected(now.get())).isFalse();
        assertThat(outliers.readmissions()).isEqualTo(1);
        assertThat(chosenOverManySelections()).contains("s1");
    }
}
