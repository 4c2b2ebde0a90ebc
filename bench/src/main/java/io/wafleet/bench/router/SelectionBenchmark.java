package io.wafleet.bench.router;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.LbAlgorithm;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.PoolRule;
import io.wafleet.router.select.PoolRules;
import io.wafleet.router.select.Selection;
import io.wafleet.router.select.SelectionRequest;
import io.wafleet.router.select.Selector;
import io.wafleet.router.select.ServerView;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Server selection over fleets of 10, 1,000 and 100,000 servers (one environment of three, three locations, two
 * priority tiers, 90 % healthy, random load), beside the seed's approach: filter the whole list, sort, take the first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SelectionBenchmark {

    @Param({"10", "1000", "100000"})
    int servers;

    @Param({
        "WEIGHTED_ROUND_ROBIN",
        "ROUND_ROBIN",
        "LEAST_CONNECTIONS",
        "LEAST_UTILIZATION",
        "POWER_OF_TWO_CHOICES",
        "FILL_FIRST"
    })
    LbAlgorithm algorithm;

    private final Selector selector = new Selector();
    private Fleet fleet;
    private Fleet fleetWithLoads;
    private List<ServerView> list;
    private PoolRules rules;
    private SelectionRequest request;
    /** A CONNECT's: for an account the registry does not know yet (the sticky lookup misses). */
    private SelectionRequest newAccount;

    private AccountRegistry registry;

    @Setup
    public void setUp() {
        list = GeneratedFleet.of(servers);
        fleet = Fleet.of(list);
        rules = PoolRules.only(new PoolRule(algorithm, true, true, 0.5));
        request = new SelectionRequest("production", null, null, 50, null, null);
        newAccount = new SelectionRequest("production", null, null, 50, null, "account-new", null);
        registry = new AccountRegistry();
        fleetWithLoads = Fleet.of(list, registry.loads());
        Instant now = Instant.now();
        for (int i = 0; i < list.size(); i += 10) {
            registry.applyRead(new ConnectionEvent(
                    UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(),
                    null,
                    "account-" + i,
                    null,
                    list.get(i).id(),
                    AccountState.QR_REQUIRED,
                    null,
                    null,
                    null,
                    null,
                    1,
                    now,
                    null,
                    null));
        }
    }

    @Benchmark
    public Selection select() {
        return selector.select(fleet, rules, request, Selector.Assignments.NONE, Load.NONE);
    }

    /**
     * As the router selects for a CONNECT: a new account (its sticky lookup misses), the account registry as
     * assignments and load, a tenth of the servers holding accounts in progress, on a snapshot whose views resolved
     * their servers' load cells (as the router's {@code FleetState} builds them).
     */
    @Benchmark
    public Selection selectWithRegistry() {
        return selector.select(fleetWithLoads, rules, newAccount, registry, registry);
    }

    /** As {@link #selectWithRegistry}, on a snapshot without resolved load cells: each load is looked up. */
    @Benchmark
    public Selection selectWithRegistryLookups() {
        return selector.select(fleet, rules, newAccount, registry, registry);
    }

    /** The seed's getAvailableServer: filter every server, sort by priority and load, take the first. */
    @Benchmark
    public ServerView naiveFilterAndSort() {
        return list.stream()
                .filter(s -> s.environment().equals("production"))
                .filter(s -> s.enabled() && s.status() == HealthStatus.HEALTHY)
                .filter(s -> s.capacity() - s.connected() >= 50)
                .sorted(Comparator.comparingInt(ServerView::priority).thenComparingInt(ServerView::connected))
                .findFirst()
                .orElse(null);
    }
}
