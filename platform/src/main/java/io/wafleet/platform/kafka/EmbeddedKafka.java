package io.wafleet.platform.kafka;

import io.wafleet.platform.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, one node), run as a child JVM from the
 * {@code kafka_2.13} artifact with its data in a folder. Ready when a client can describe the cluster.
 */
public final class EmbeddedKafka implements KafkaCluster, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int securePort;
    private final List<String> jvmOptions;
    private final SaslSslListener secure;
    private final Process process;
    private final Duration startupTime;

    private EmbeddedKafka(
            Path dataDir,
            int port,
            int controllerPort,
            int securePort,
            List<String> jvmOptions,
            SaslSslListener secure,
            Process process,
            Duration startupTime) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.securePort = securePort;
        this.jvmOptions = jvmOptions;
        this.secure = secure;
        this.process = process;
        this.startupTime = startupTime;
    }

    /**
     * Starts a broker whose logs and metadata live under {@code dataDir} (created if missing; an existing formatted
     * folder is reused, so its topics survive a restart). Returns once the broker answers clients.
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, DEFAULT_JVM_OPTIONS);
    }

    /** The broker's JVM options for tests and benchmarks: room for throughput. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g");

    /**
     * As {@link #start(Path)}, the broker's JVM run with {@code jvmOptions} (heap, collector): the demo keeps it
     * small.
     */
    public static EmbeddedKafka start(Path dataDir, List<String> jvmOptions) {
        return start(dataDir, jvmOptions, null);
    }

    /** As {@link #start(Path, List)}, with a SASL_SSL listener too when {@code secure} is given. */
    public static EmbeddedKafka start(Path dataDir, List<String> jvmOptions, SaslSslListener secure) {
        return start(dataDir, jvmOptions, secure, null);
    }

    /**
     * A broker killed or stopped, started again on its data and its ports (clients configured with its address find
     * it again): for fault tests.
     */
    public EmbeddedKafka restart() {
        return start(dataDir, jvmOptions, secure, new int[] {port, controllerPort, securePort});
    }

    /** Kills the broker's process at once (SIGKILL), as a crash would; its data stays. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The broker process's id: for fault tests that pause it (SIGSTOP) and let it go on (SIGCONT). */
    public long pid() {
        return process.pid();
    }

    private static EmbeddedKafka start(
            Path dataDir, List<String> jvmOptions, SaslSslListener secure, int[] fixedPorts) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolve("broker.log");
            for (int attempt = 1; ; attempt++) {
                long logStart = Files.exists(log) ? Files.size(log) : 0;
                FreePorts ports = new FreePorts();
                int port = fixedPorts != null ? fixedPorts[0] : ports.next();
                int controllerPort = fixedPorts != null ? fixedPorts[1] : ports.next();
                int securePort = fixedPorts != null ? fixedPorts[2] : secure == null ? 0 : ports.next();
                Path config = writeConfig(dataDir, port, controllerPort, securePort, secure);
                Path logbackConfig = writeResource(dataDir, "broker-logback.xml");
                Process process = new ProcessBuilder(command(config, logbackConfig, jvmOptions))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                String bootstrap = "127.0.0.1:" + port;
                boolean ready;
                try {
                    ready = awaitReady(bootstrap, process, log);
                } catch (RuntimeException e) {
                    process.destroyForcibly();
                    throw e;
                }
                if (ready) {
                    Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
                    LOG.info(
                            "Kafka broker ready at {} in {} ms (data in {})",
                            bootstrap,
                            startupTime.toMillis(),
                            dataDir);
                    return new EmbeddedKafka(
                            dataDir, port, controllerPort, securePort, jvmOptions, secure, process, startupTime);
                }
                String failure = "Kafka broker exited with code " + process.exitValue() + " before it was ready (" + log
                        + "); its last lines:\n" + lastLines(outputSince(log, logStart), 40);
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException(failure);
                }
                // Typically a port that was free when asked for and taken by another process before the broker
                // bound it; the next attempt asks for other ports.
                LOG.warn(
                        "{}\nstarting it again on other ports (attempt {} of {})",
                        failure,
                        attempt + 1,
                        START_ATTEMPTS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dataDir, e);
        }
    }

    /** The SASL_SSL listener's address; null when the broker has none. */
    public String secureBootstrapServers() {
        return securePort == 0 ? null : "127.0.0.1:" + securePort;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** How long {@link #start} took, from call to a broker answering clients. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the broker cleanly (forcibly after 20 s); its data stays in the folder. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("Kafka broker did not stop within {} s; killing it", SHUTDOWN_TIMEOUT.toSeconds());
                process.destroyForcibly().waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> command(Path config, Path logbackConfig, List<String> jvmOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + logbackConfig,
                "-cp",
                ChildClasspath.current(),
                KafkaBrokerMain.class.getName(),
                config.toString()));
        return command;
    }

    private static Path writeConfig(Path dataDir, int port, int controllerPort, int securePort, SaslSslListener secure)
            throws IOException {
        Path config = dataDir.resolve("server.properties");
        String clusterId = existingClusterId(config);
        Map<String, String> settings = BrokerSettings.forSingleNode(dataDir, port, controllerPort, securePort, secure);
        StringBuilder text = new StringBuilder("# written by wafleet's EmbeddedKafka at each start\n");
        text.append(KafkaBrokerMain.CLUSTER_ID_PROPERTY)
                .append('=')
                .append(clusterId)
                .append('\n');
        settings.forEach(
                (key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(config, text, StandardCharsets.UTF_8);
        return config;
    }

    private static String existingClusterId(Path config) throws IOException {
        if (Files.exists(config)) {
            for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                if (line.startsWith(KafkaBrokerMain.CLUSTER_ID_PROPERTY + "=")) {
                    return line.substring(KafkaBrokerMain.CLUSTER_ID_PROPERTY.length() + 1);
                }
            }
        }
        return Uuid.randomUuid().toString();
    }

    private static Path writeResource(Path dataDir, String name) throws IOException {
        Path target = dataDir.resolve(name);
        try (var in = EmbeddedKafka.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    /** True once the broker answers clients, false if it exited first. */
    private static boolean awaitReady(String bootstrap, Process process, Path log) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    return false;
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                } catch (Exception notYet) {
                    // The broker is still starting; ask again until the deadline.
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Kafka broker not ready within " + STARTUP_TIMEOUT.toSeconds() + " s; see " + log);
                }
            }
        }
    }

    /** What the broker wrote to its log from byte {@code offset} on. */
    private static String outputSince(Path log, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        int from = (int) Math.min(offset, bytes.length);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
