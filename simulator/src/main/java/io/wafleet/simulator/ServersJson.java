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
                    "sslVerify", !spec.tls(),
                    "tags", spec.tags()));
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
}
