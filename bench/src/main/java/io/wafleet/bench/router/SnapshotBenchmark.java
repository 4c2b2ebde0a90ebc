package io.wafleet.bench.router;

import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.ServerView;
import java.util.List;
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
        views = GeneratedFleet.of(servers);
    }

    @Benchmark
    public Fleet build() {
        return Fleet.of(views);
    }
}
