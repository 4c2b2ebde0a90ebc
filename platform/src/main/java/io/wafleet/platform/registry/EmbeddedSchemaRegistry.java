package io.wafleet.platform.registry;

import io.wafleet.platform.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry that speaks the Confluent API: Apicurio Registry 2.6 (in-memory storage, no
 * authentication), run as a child JVM from its Maven Central distribution ({@code
 * io.apicurio:apicurio-registry-app:2.6.13.Final:tar.gz:all}, unpacked by the build into the folder the system
 * property {@value #HOME_PROPERTY} names). Its Confluent API is under {@link #url()}. Ready when that API answers.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** The system property naming the unpacked distribution (the folder holding {@code *-runner.jar}). */
    public static final String HOME_PROPERTY = "wafleet.apicurio.home";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final String CONFLUENT_API = "/apis/ccompat/v7";

    private final Path home;
    private final Path log;
    private final int port;
    private Process process;

    private EmbeddedSchemaRegistry(Path home, Path log, int port) {
        this.home = home;
        this.log = log;
        this.port = port;
    }

    /** Starts a registry on a free port, its output in {@code log}; returns once it answers. */
    public static EmbeddedSchemaRegistry start(Path log) {
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(home(), log, FreePorts.any());
        registry.launch();
        return registry;
    }

    /** The base URL of its Confluent-compatible API, as {@code schema.registry.url} takes it. */
    public String url() {
        return urlThrough(port);
    }

    /** Its port: for a proxy put in front of it. */
    public int port() {
        return port;
    }

    /** The base URL of its API reached through a proxy on {@code proxyPort} (e.g. a {@code BlackHoleProxy}). */
    public String urlThrough(int proxyPort) {
        return "http://127.0.0.1:" + proxyPort + CONFLUENT_API;
    }

    /** Stops it (its schemas are lost: in-memory storage). */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void launch() {
        long started = System.nanoTime();
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry from " + home, e);
        }
        awaitReady();
        LOG.info(
                "schema registry (Apicurio) ready at {} in {} ms",
                url(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private List<String> command() {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-jar",
                runner(home).toString());
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the schema registry exited at start with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> answer = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the schema registry started", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the schema registry started", e);
            }
        }
        close();
        throw new IllegalStateException(
                "the schema registry did not answer within " + STARTUP_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private static Path home() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("system property " + HOME_PROPERTY
                    + " names no folder: the build unpacks Apicurio Registry there (see platform/pom.xml)");
        }
        return Path.of(home);
    }

    private static Path runner(Path home) {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + home));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + home, e);
        }
    }
}
