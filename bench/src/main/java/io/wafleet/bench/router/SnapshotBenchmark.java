package io.wafleet.bench.router;

import io.wafleet.avro.HealthStatus;
import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.ServerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
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

/** The cost of a new fleet snapshot (pools and tiers), which the router builds at most every table-refresh. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SnapshotBenchmark {

    @Param({"1000", "100000"})
    int servers;

    private List<ServerView> views;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        String[] environments = {"production", "staging", "development"};
        String[] locations = {"eu", "us", "ap"};
        views = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            views.add(new ServerView(
                    "srv-" + i,
                    "server-" + i,
                    "http://10.0.0.1:" + i,
                    random.nextInt(10) == 0 ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY,
                    environments[i % 3],
                    locations[(i / 3) % 3],
                    Set.of("primary"),
                    true,
                    1 + random.nextInt(2),
                    1 + random.nextInt(10),
                    2_000,
                    random.nextInt(1_900),
                    true));
        }
    }

    @Benchmark
    public Fleet build() {
        return Fleet.of(views);
    }
}
