package io.wafleet.simulator;

import io.wafleet.schemas.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A fleet of simulated WhatsApp servers in one JVM, each on its own loopback port, sharing worker threads, plus the
 * control API that puts them in faults. Start it with {@link #start}; close it to stop every server.
 */
public final class SimulatedFleet implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the client's
        // delayed ACK hold every answer back ~40 ms. Read once, when the JDK server classes load: set it first.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Map<String, SimulatedServer> servers = new LinkedHashMap<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final TlsMaterial tls;
    private final ControlApi control;

    private SimulatedFleet(List<ServerSpec> specs, int controlPort, Clock clock) {
        this.workers = Executors.newFixedThreadPool(
                Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), DaemonThreads.named("simulator-worker"));
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(2, DaemonThreads.named("simulator-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timers = scheduler;
        this.tls = specs.stream().anyMatch(ServerSpec::tls) ? TlsMaterial.selfSigned(tempFolder()) : null;
        SSLContext context = tls == null ? null : tls.serverContext();
        try {
            for (ServerSpec spec : specs) {
                if (servers.containsKey(spec.id())) {
                    throw new IllegalArgumentException("two servers with id " + spec.id());
                }
                servers.put(spec.id(), new SimulatedServer(spec, workers, timers, context, clock));
            }
            this.control = controlPort < 0 ? null : new ControlApi(this, controlPort, workers);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts the servers; no control API over HTTP (tests drive the fleet through this object). */
    public static SimulatedFleet start(List<ServerSpec> specs) {
        return new SimulatedFleet(specs, -1, Clock.systemUTC());
    }

    /** Starts the servers and the HTTP control API on {@code controlPort} (0 for any free port). */
    public static SimulatedFleet startWithControl(List<ServerSpec> specs, int controlPort) {
        return new SimulatedFleet(specs, controlPort, Clock.systemUTC());
    }

    /**
     * Starts the servers a servers.json describes (seed format plus {@code dialect} and {@code apiKey}) on their ports,
     * known by their names, with the control API on {@code controlPort}.
     */
    public static SimulatedFleet fromServersJson(
            java.nio.file.Path file, double latencyMedianMs, double latencyP99Ms, Duration scanDelay, int controlPort)
            throws java.io.IOException {
        return startWithControl(ServersJson.read(file, latencyMedianMs, latencyP99Ms, scanDelay), controlPort);
    }

    public List<SimulatedServer> servers() {
        return List.copyOf(servers.values());
    }

    public SimulatedServer server(String id) {
        SimulatedServer server = servers.get(id);
        if (server == null) {
            throw new NoSuchElementException("no simulated server " + id);
        }
        return server;
    }

    /** A server by its id, or by its name (as wafleet knows it after importing servers.json). */
    Optional<SimulatedServer> find(String idOrName) {
        SimulatedServer byId = servers.get(idOrName);
        if (byId != null) {
            return Optional.of(byId);
        }
        return servers.values().stream()
                .filter(server -> server.spec().name().equals(idOrName))
                .findFirst();
    }

    /** The trust store that trusts the HTTPS servers' certificate, if any server speaks HTTPS. */
    public Optional<TlsMaterial> tls() {
        return Optional.ofNullable(tls);
    }

    /** The control API's base URL, if it runs. */
    public Optional<String> controlUrl() {
        return control == null ? Optional.empty() : Optional.of("http://127.0.0.1:" + control.port());
    }

    /** The fleet in the seed's Server Configuration JSON format (servers + loadBalancing). */
    public Map<String, Object> serversJson() {
        return ServersJson.describe(servers(), controlUrl().orElse(null));
    }

    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (SimulatedServer server : servers.values()) {
            try {
                server.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        timers.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private static java.nio.file.Path tempFolder() {
        try {
            return Files.createTempDirectory("wafleet-simulator-tls");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the TLS certificate", e);
        }
    }

    /**
     * Where the servers and the control API listen: loopback, unless the system property
     * {@code wafleet.simulator.bind} names another address (a container sets 0.0.0.0).
     */
    static java.net.InetAddress bindAddress() {
        String bind = System.getProperty("wafleet.simulator.bind");
        try {
            return bind == null || bind.isBlank()
                    ? java.net.InetAddress.getLoopbackAddress()
                    : java.net.InetAddress.getByName(bind);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("wafleet.simulator.bind: unknown address " + bind, e);
        }
    }
}
