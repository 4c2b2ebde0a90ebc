package io.wafleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.Dialect;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The simulated servers a servers.json describes (seed format plus dialect and apiKey), on its ports. */
final class DemoFleet {

    private DemoFleet() {}

    /**
     * @param scanDelay how long after showing a QR a simulated session counts as scanned
     * @param controlPort where the simulator's control API listens
     */
    static SimulatedFleet start(Path serversJson, Duration scanDelay, int controlPort) throws IOException {
        JsonNode root = new ObjectMapper().readTree(serversJson.toFile());
        List<ServerSpec> specs = new ArrayList<>();
        for (JsonNode server : root.path("servers")) {
            String name = server.path("name").asText();
            List<String> tags = new ArrayList<>();
            server.path("tags").forEach(tag -> tags.add(tag.asText()));
            specs.add(ServerSpec.builder(
                            name,
                            Dialect.valueOf(
                                    server.path("dialect").asText("seed").toUpperCase(Locale.ROOT)))
                    .name(name)
                    .port(server.path("port").asInt())
                    .apiKey(
                            server.path("apiKey").isMissingNode()
                                    ? null
                                    : server.path("apiKey").asText())
                    .capacity(
                            server.path("maxInstances").asInt(1),
                            server.path("maxUsersPerInstance").asInt(100))
                    .pool(
                            server.path("environment").asText(),
                            server.path("location").asText(null))
                    .priority(
                            server.path("priority").asInt(1),
                            server.path("weight").asInt(1))
                    .tags(tags)
                    .latency(15, 60)
                    .scanDelay(scanDelay)
                    .build());
        }
        return SimulatedFleet.startWithControl(specs, controlPort);
    }
}
