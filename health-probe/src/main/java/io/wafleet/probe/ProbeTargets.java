package io.wafleet.probe;

import io.wafleet.avro.ServerConfig;
import io.wafleet.client.ServerClients;
import io.wafleet.client.ServerEndpoint;
import io.wafleet.schemas.ApiKeyCipher;
import java.time.Duration;
import java.util.Locale;

/** Validates a ServerConfig and turns it into a {@link ProbeTarget}; a config it cannot use is refused with why. */
final class ProbeTargets {

    /** A config the probe cannot use; the message names the field. */
    static final class InvalidConfig extends RuntimeException {
        InvalidConfig(String serverId, String reason) {
            super("server config " + serverId + ": " + reason, null, false, false);
        }
    }

    private final ServerClients clients;
    private final ApiKeyCipher cipher;
    private final ProbeProperties properties;

    ProbeTargets(ServerClients clients, ApiKeyCipher cipher, ProbeProperties properties) {
        this.clients = clients;
        this.cipher = cipher;
        this.properties = properties;
    }

    ProbeTarget from(ServerConfig config) {
        String id = config.getId();
        if (config.getHostname() == null || config.getHostname().isBlank()) {
            throw new InvalidConfig(id, "hostname must not be blank");
        }
        if (config.getPort() < 1 || config.getPort() > 65535) {
            throw new InvalidConfig(id, "port must be within 1..65535, was " + config.getPort());
        }
        if (config.getMaxRetries() < 0 || config.getMaxRetries() > 10) {
            throw new InvalidConfig(id, "maxRetries must be within 0..10, was " + config.getMaxRetries());
        }
        if (config.getConnectionTimeout() < 0 || config.getRequestTimeout() < 0) {
            throw new InvalidConfig(id, "connectionTimeout and requestTimeout must not be negative");
        }
        Duration interval = orDefault(config.getHealthCheckInterval(), properties.defaultInterval());
        if (interval.compareTo(properties.minInterval()) < 0) {
            throw new InvalidConfig(
                    id,
                    "healthCheckInterval must be at least "
                            + properties.minInterval().toMillis() + " ms, was " + interval.toMillis() + " ms");
        }
        String endpoint = config.getHealthCheckEndpoint();
        if (endpoint != null && !endpoint.isBlank() && !endpoint.startsWith("/")) {
            throw new InvalidConfig(id, "healthCheckEndpoint must start with /, was '" + endpoint + "'");
        }
        ServerEndpoint server = new ServerEndpoint(
                id,
                baseUrl(config),
                config.getDialect(),
                endpoint,
                orDefault(config.getConnectionTimeout(), properties.defaultConnectTimeout()),
                orDefault(config.getRequestTimeout(), properties.defaultRequestTimeout()),
                apiKey(config),
                config.getSslVerify());
        return new ProbeTarget(config, clients.forEndpoint(server), interval, config.getMaxRetries());
    }

    private String apiKey(ServerConfig config) {
        if (config.getApiKeyCiphertext() == null) {
            return null;
        }
        if (cipher == null) {
            throw new InvalidConfig(
                    config.getId(),
                    "apiKeyCiphertext is set but the probe has no encryption key"
                            + " (WAFLEET_API_KEY_ENCRYPTION_KEY)");
        }
        try {
            return cipher.decrypt(config.getApiKeyCiphertext());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfig(config.getId(), "apiKeyCiphertext: " + e.getMessage());
        }
    }

    private static String baseUrl(ServerConfig config) {
        String basePath = config.getBasePath() == null ? "" : config.getBasePath();
        return config.getProtocol().name().toLowerCase(Locale.ROOT) + "://" + config.getHostname() + ":"
                + config.getPort() + (basePath.isEmpty() || basePath.startsWith("/") ? basePath : "/" + basePath);
    }

    private static Duration orDefault(int millis, Duration fallback) {
        return millis <= 0 ? fallback : Duration.ofMillis(millis);
    }
}
