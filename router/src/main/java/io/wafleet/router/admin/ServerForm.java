package io.wafleet.router.admin;

import io.wafleet.router.api.BadField;
import io.wafleet.router.api.Json;
import io.wafleet.schemas.ApiKeyCipher;
import java.util.List;
import java.util.Set;

/**
 * A server as the admin API takes it: the seed's {@code addServer} fields plus dialect, basePath, sslVerify,
 * allowedIps, rise and fall, validated field by field. The API key arrives in plaintext and leaves here encrypted;
 * it is never kept or returned in plaintext.
 */
record ServerForm(
        String name,
        String hostname,
        String ipAddress,
        int port,
        String protocol,
        String basePath,
        String dialect,
        String environment,
        String location,
        int connectionTimeout,
        int requestTimeout,
        int maxRetries,
        int healthCheckInterval,
        String healthCheckEndpoint,
        int maxInstances,
        int maxUsersPerInstance,
        int messagingRateLimit,
        boolean isEnabled,
        int priority,
        int weight,
        List<String> tags,
        boolean sslVerify,
        List<String> allowedIps,
        String apiKeyCiphertext,
        Integer rise,
        Integer fall,
        String actor) {

    private static final int MAX = Integer.MAX_VALUE;

    /**
     * Reads and checks a server object; the defaults are the seed's ({@code WHATSAPP_*} defaults for the timeouts).
     *
     * @param cipher encrypts an {@code apiKey}; null when no key is configured, and then an API key is refused
     */
    static ServerForm from(Json json, ApiKeyCipher cipher, String actor) {
        if (!json.has("port")) {
            throw new BadField(json.path("port"), "is required");
        }
        String apiKey = json.text("apiKey", null);
        if (apiKey != null && cipher == null) {
            throw new BadField(
                    json.path("apiKey"),
                    "cannot be stored: the router has no WAFLEET_API_KEY_ENCRYPTION_KEY to encrypt it with");
        }
        String basePath = json.text("basePath", "");
        if (!basePath.isEmpty() && !basePath.startsWith("/")) {
            throw new BadField(json.path("basePath"), "must start with '/'");
        }
        String endpoint = json.text("healthCheckEndpoint", "/api/health");
        if (!endpoint.startsWith("/")) {
            throw new BadField(json.path("healthCheckEndpoint"), "must start with '/'");
        }
        return new ServerForm(
                json.requiredText("name"),
                json.requiredText("hostname"),
                json.text("ipAddress", null),
                json.integer("port", 0, 1, 65_535),
                json.choice("protocol", "https", Set.of("http", "https")),
                basePath,
                json.choice("dialect", "seed", Set.of("seed", "waha", "evolution")),
                json.requiredText("environment"),
                json.text("location", null),
                json.integer("connectionTimeout", 30_000, 1, MAX),
                json.integer("requestTimeout", 60_000, 1, MAX),
                json.integer("maxRetries", 3, 0, 100),
                json.integer("healthCheckInterval", 30_000, 100, MAX),
                endpoint,
                json.integer("maxInstances", 1, 0, MAX),
                json.integer("maxUsersPerInstance", 100, 0, MAX),
                json.integer("messagingRateLimit", 1_000, 0, MAX),
                json.bool("isEnabled", true),
                json.integer("priority", 1, Integer.MIN_VALUE, MAX),
                json.integer("weight", 1, 0, MAX),
                json.strings("tags"),
                json.bool("sslVerify", true),
                json.strings("allowedIps"),
                apiKey == null ? null : cipher.encrypt(apiKey),
                json.optionalInteger("rise", 1, 100),
                json.optionalInteger("fall", 1, 100),
                actor);
    }
}
