package io.wafleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line turns its options into the fleet's specs. */
class SimulatorMainTest {

    @Test
    void mixedDialectsCycleAndEachServerGetsItsOwnKeyPortAndPool() {
        SimulatorMain main = new SimulatorMain();
        new CommandLine(main)
                .parseArgs(
                        "--servers",
                        "4",
                        "--dialects",
                        "mixed",
                        "--base-port",
                        "20000",
                        "--environments",
                        "production,staging",
                        "--scan-delay-ms",
                        "0");

        List<ServerSpec> specs = main.specs();

        assertThat(specs)
                .extracting(ServerSpec::dialect)
                .containsExactly(Dialect.SEED, Dialect.WAHA, Dialect.EVOLUTION, Dialect.SEED);
        assertThat(specs).extracting(ServerSpec::port).containsExactly(20000, 20001, 20002, 20003);
        assertThat(specs)
                .extracting(ServerSpec::environment)
                .containsExactly("production", "staging", "production", "staging");
        assertThat(specs).extracting(ServerSpec::apiKey).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(specs).extracting(ServerSpec::scanDelay).containsOnlyNulls();
        assertThat(specs.get(0).toString()).doesNotContain(specs.get(0).apiKey());
    }

    @Test
    void withoutApiKeysTheServersTakeNone() {
        SimulatorMain main = new SimulatorMain();
        new CommandLine(main).parseArgs("--servers", "2", "--no-api-keys");

        assertThat(main.specs()).extracting(ServerSpec::apiKey).containsOnlyNulls();
        assertThat(main.specs()).extracting(ServerSpec::dialect).containsOnly(Dialect.SEED);
    }
}
