package io.wafleet.probe;

import io.wafleet.avro.ServerConfig;
import io.wafleet.client.ServerClients;
import io.wafleet.client.ServerEndpoint;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.schemas.ApiKeyCipher;
import java.time.Duration;

/** Validates a ServerConfig and turns it into a {@link ProbeTarget}; a config it cannot use is refused with why. */
final class ProbeTargets {

    private final ServerClients clients;
    private final ApiKeyCipher cipher;
    private final ProbeProperties properties;

    ProbeTargets(ServerClients clients, ApiKeyCipher cipher, ProbeProperties properties) {
        this.clients = clients;
        this.cipher = cipher;
        this.properties = properties;
    }

    /**
     * @throws ServerEndpoints.InvalidConfig naming the field that makes the config unusable
     */
    ProbeTarget from(ServerConfig config) {
        ServerEndpoint server = ServerEndpoints.of(
                config, cipher, properties.defaultConnectTimeout(), properties.defaultRequestTimeout());
        Duration interval = config.getHealthCheckInterval() <= 0
                ? properties.defaultInterval()
                : Duration.ofMillis(config.getHealthCheckInterval());
        if (interval.compareTo(properties.minInterval()) < 0) {
            throw new ServerEndpoints.InvalidConfig(
                    config.getId(),
                    "healthCheckInterval must be at least "
                            + properties.minInterval().toMillis() + " ms, was " + interval.toMillis() + " ms");
        }
        return new ProbeTarget(config, clients.forEndpoint(server), interval, config.getMaxRetries());
    }
}
