package io.wafleet.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Resident memory of the whole demo: this JVM, its child processes (services, broker) and PostgreSQL's. */
final class Memory {

    private Memory() {}

    static long rssMegabytes(Path dataDir) {
        String postgresData = dataDir.resolve("postgres").toString();
        long kilobytes = Stream.concat(
                        Stream.of(ProcessHandle.current()),
                        ProcessHandle.current().descendants())
                .mapToLong(process -> rssKilobytes(process.pid()))
                .sum();
        kilobytes += ProcessHandle.allProcesses()
                .filter(process -> process.info()
                                .commandLine()
                                .map(c -> c.contains(postgresData))
                                .orElse(false)
                        || process.parent()
                                .flatMap(parent -> parent.info().commandLine())
                                .map(c -> c.contains(postgresData))
                                .orElse(false))
                .filter(process -> ProcessHandle.current().descendants().noneMatch(d -> d.pid() == process.pid()))
                .mapToLong(process -> rssKilobytes(process.pid()))
                .sum();
        return kilobytes / 1024;
    }

    private static long rssKilobytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, or not Linux.
        }
        return 0;
    }
}
