package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The recorded exchanges of {@code conformance/} (one truth with the client's tests): each file names its real
 * server (dialect, version, tier), its source, setup steps and the exchanges a client call makes.
 */
final class ConformanceFixtures {

    /** The fixtures' folder, the repository's {@code conformance/} (tests run in their module's folder). */
    static final Path ROOT = Path.of(System.getProperty("wafleet.conformance", "../conformance"));

    private ConformanceFixtures() {}

    /** Every fixture file, in a stable order. */
    static List<Path> all() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no conformance fixtures at " + ROOT.toAbsolutePath(), e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** The simulated server a fixture's {@code server} describes; the real servers' waits at 5 %. */
    static ServerSpec spec(String id, JsonNode server) {
        return ServerSpec.builder(
                        id,
                        io.wafleet.avro.Dialect.valueOf(server.path("dialect").asText()))
                .version(server.path("version").asText())
                .tier(server.hasNonNull("tier") ? server.path("tier").asText() : null)
                .apiKey(server.path("apiKey").asText(null))
                .latency(0.1, 0.5)
                .waitScale(0.05)
                .build();
    }
}
