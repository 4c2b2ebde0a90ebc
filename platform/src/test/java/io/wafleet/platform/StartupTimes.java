package io.wafleet.platform;

import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Measures how long the embedded broker and database take to become ready, each started fresh in a new folder a
 * number of times (default 5). Prints min, median and max; the README records the figures.
 */
public final class StartupTimes {

    private StartupTimes() {}

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        report("Kafka broker (KRaft, child JVM)", runs, folder -> {
            try (EmbeddedKafka kafka = EmbeddedKafka.start(folder)) {
                return kafka.startupTime().toMillis();
            }
        });
        report("PostgreSQL (zonky, wal_level=logical)", runs, folder -> {
            try (EmbeddedPostgres postgres = EmbeddedPostgres.start(folder)) {
                return postgres.startupTime().toMillis();
            }
        });
    }

    private static void report(String what, int runs, Function<Path, Long> startOnce) throws IOException {
        List<Long> millis = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Path folder = Files.createTempDirectory("wafleet-startup");
            millis.add(startOnce.apply(folder));
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
        Collections.sort(millis);
        System.out.printf(
                "%s: %d fresh starts, min %d ms, median %d ms, max %d ms%n",
                what, runs, millis.get(0), millis.get(runs / 2), millis.get(runs - 1));
    }
}
