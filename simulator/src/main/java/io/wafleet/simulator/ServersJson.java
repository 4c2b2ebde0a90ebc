package io.wafleet.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet described in the seed's Server Configuration JSON ({@code servers} + {@code loadBalancing}), with the
 * fields wafleet adds: dialect, API key, health endpoint, and where the simulator's control API listens.
 */
final class ServersJson {

    private ServersJson() {}

    static Map<String, Object> describe(List<SimulatedServer> servers, String controlUrl) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (SimulatedServer server : servers) {
            ServerSpec spec = server.spec();
            entries.add(Json.object(
                    "id", spec.id(),
                    "name", spec.name(),
                    "hostname", "localhost",
                    "ipAddress", "127.0.0.1",
                    "port", server.port(),
                    "protocol", spec.tls() ? "https" : "http",
                    "dialect", spec.dialect().name().toLowerCase(),
                    "environment", spec.environment(),
                    "location", spec.location(),
                    "priority", spec.priority(),
                    "weight", spec.weight(),
                    "maxInstances", spec.maxInstances(),
                    "maxUsersPerInstance", spec.maxUsersPerInstance(),
                    "healthCheckEndpoint", healthEndpoint(spec),
                    "apiKey", spec.apiKey(),
                    // Plain http on this machine's loopback: the operator vouches for the network.
                    "trustedNetwork", !spec.tls(),
                    "sslVerify", !spec.tls(),
                    "tags", spec.tags(),
                    "simulator",
                            Json.object(
                                    "version", spec.version(), "tier", spec.tier(), "waitScale", spec.waitScale())));
        }
        return Json.object(
                "servers", entries,
                "loadBalancing",
                        Json.object(
                                "algorithm",
                                "weighted_round_robin",
                                "healthCheckRequired",
                                true,
                                "failoverEnabled",
                                true),
                "simulator", Json.object("controlUrl", controlUrl));
    }

    static String healthEndpoint(ServerSpec spec) {
        return switch (spec.dialect()) {
            case SEED -> "/api/health";
            case WAHA -> "/api/server/status";
            case EVOLUTION -> "/";
        };
    }

    /**
     * The servers a servers.json describes (the seed's format plus {@code dialect} and {@code apiKey}), each with its
     * name as id, on its port.
     */
    static List<ServerSpec> read(
            java.nio.file.Path file, double latencyMedianMs, double latencyP99Ms, java.time.Duration scanDelay)
            throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode root = Json.MAPPER.readTree(file.toFile());
        List<ServerSpec> specs = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode server : root.path("servers")) {
            String name = server.path("name").asText();
            // What only the simulator reads: the real server it stands in for (version, WAHA tier) and its waits.
            com.fasterxml.jackson.databind.JsonNode simulated = server.path("simulator");
            List<String> tags = new ArrayList<>();
            server.path("tags").forEach(tag -> tags.add(tag.asText()));
            specs.add(ServerSpec.builder(
                            name,
                            io.wafleet.avro.Dialect.valueOf(
                                    server.path("dialect").asText("seed").toUpperCase(java.util.Locale.ROOT)))
                    .name(name)
                    .port(server.path("port").asInt())
                    .apiKey(server.hasNonNull("apiKey") ? server.path("apiKey").asText() : null)
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
                    .latency(latencyMedianMs, latencyP99Ms)
                    .scanDelay(scanDelay)
                    .waitScale(simulated.path("waitScale").asDouble(1))
                    .tier(simulated.hasNonNull("tier") ? simulated.path("tier").asText() : null)
                    .version(
                            simulated.hasNonNull("version")
                                    ? simulated.path("version").asText()
                                    : null)
                    .build());
        }
        return specs;
    }
}
