package io.wafleet.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The four wafleet services as processes: started together, ready when all answer readiness, stopped in reverse. */
final class Services implements AutoCloseable {

    /** A service: its module (and jar) and its port. */
    record Service(String module, int port, Map<String, String> env) {}

    /** How a service was started, to start it again. */
    private record Launch(String module, Path jar, int port, Map<String, String> env, Path logs) {}

    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<Launch> launches = new ArrayList<>();

    /**
     * Starts every service from {@code <home>/<module>/target/wafleet-<module>-<version>-exec.jar}.
     *
     * @param common the environment every service gets (Kafka, database, keys)
     */
    static Services start(Path home, List<Service> services, Map<String, String> common, Path logs) throws IOException {
        Services started = new Services();
        String version = Wafleet.version();
        try {
            for (Service service : services) {
                Map<String, String> env = new HashMap<>(common);
                env.putAll(service.env());
                Path jar = home.resolve(service.module())
                        .resolve("target")
                        .resolve("wafleet-" + service.module() + "-" + version + "-exec.jar");
                Launch launch = new Launch(service.module(), jar, service.port(), Map.copyOf(env), logs);
                started.launches.add(launch);
                started.processes.add(ServiceProcess.start(launch.module(), jar, launch.port(), launch.env(), logs));
            }
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    List<ServiceProcess> processes() {
        return processes;
    }

    /** Starts the {@code index}th service again, as it was started (after it was killed or stopped). */
    ServiceProcess restart(int index) throws IOException {
        Launch launch = launches.get(index);
        ServiceProcess process =
                ServiceProcess.start(launch.module(), launch.jar(), launch.port(), launch.env(), launch.logs());
        processes.set(index, process);
        return process;
    }

    /** Waits until every service is ready; fails naming those that died or are not ready in time, with their log. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(processes);
        while (!waiting.isEmpty()) {
            for (ServiceProcess process : List.copyOf(waiting)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(process.name + " stopped while starting; see " + process.log
                            + "; its last lines:\n" + lastLines(process.log, 25));
                }
                if (process.ready()) {
                    waiting.remove(process);
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not ready after " + timeout.toSeconds() + " s: "
                            + waiting.stream()
                                    .map(p -> p.name + " (" + p.log + ")")
                                    .toList());
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
    }

    @Override
    public void close() {
        List<ServiceProcess> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        // All at once: each takes a few seconds to shut down gracefully.
        reversed.parallelStream().forEach(ServiceProcess::close);
    }

    private static String lastLines(java.nio.file.Path log, int count) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
