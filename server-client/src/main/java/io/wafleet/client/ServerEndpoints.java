package io.wafleet.client;

import io.wafleet.avro.ServerConfig;
import io.wafleet.schemas.ApiKeyCipher;
import java.time.Duration;
import java.util.Locale;

/** Turns a server's configuration (a wa.server-configs record) into the {@link ServerEndpoint} to call it at. */
public final class ServerEndpoints {

    /** A config that cannot be called as it is; the message names the server and the field. */
    public static final class InvalidConfig extends RuntimeException {
        public InvalidConfig(String serverId, String reason) {
            super("server config " + serverId + ": " + reason, null, false, false);
        }
    }

    private ServerEndpoints() {}

    /**
     * The endpoint of a server, its API key decrypted with {@code cipher}.
     *
     * @param cipher decrypts apiKeyCiphertext; null when this service has no key (then a config with a key is refused)
     * @param defaultConnect the connect timeout for a config without one
     * @param defaultRequest the request timeout for a config without one
     * @throws InvalidConfig naming the field that makes the config unusable ({@link ServerConfigRules})
     */
    public static ServerEndpoint of(
            ServerConfig config, ApiKeyCipher cipher, Duration defaultConnect, Duration defaultRequest) {
        String id = config.getId();
        ServerConfigRules.check(config).ifPresent(violation -> {
            throw new InvalidConfig(id, violation.field() + " " + violation.problem());
        });
        String healthPath = config.getHealthCheckEndpoint();
        return new ServerEndpoint(
                id,
                baseUrl(config),
                config.getDialect(),
                healthPath,
                orDefault(config.getConnectionTimeout(), defaultConnect),
                orDefault(config.getRequestTimeout(), defaultRequest),
                apiKey(config, cipher),
                config.getSslVerify(),
                AddressPolicy.of(config.getIpAddress(), config.getAllowedIps()));
    }

    /** protocol://host:port followed by the base path. */
    public static String baseUrl(ServerConfig config) {
        String basePath = config.getBasePath() == null ? "" : config.getBasePath();
        return config.getProtocol().name().toLowerCase(Locale.ROOT) + "://" + config.getHostname() + ":"
                + config.getPort() + (basePath.isEmpty() || basePath.startsWith("/") ? basePath : "/" + basePath);
    }

    private static String apiKey(ServerConfig config, ApiKeyCipher cipher) {
        if (config.getApiKeyCiphertext() == null) {
            return null;
        }
        if (cipher == null) {
            throw new InvalidConfig(
                    config.getId(),
                    "apiKeyCiphertext is set but this service has no encryption key (WAFLEET_API_KEY_ENCRYPTION_KEY)");
        }
        try {
            return cipher.decrypt(config.getApiKeyCiphertext(), ApiKeyCipher.Binding.of(config));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfig(config.getId(), "apiKeyCiphertext: " + e.getMessage());
        }
    }

    private static Duration orDefault(int millis, Duration fallback) {
        return millis <= 0 ? fallback : Duration.ofMillis(millis);
    }
}
