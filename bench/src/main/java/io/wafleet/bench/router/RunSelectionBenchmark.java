package io.wafleet.bench.router;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs {@link SelectionBenchmark} from Maven ({@code exec:java}); arguments are a JMH include pattern. */
public final class RunSelectionBenchmark {

    private RunSelectionBenchmark() {}

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder()
                        .include(args.length > 0 ? args[0] : SelectionBenchmark.class.getSimpleName())
                        .build())
                .run();
    }
}
