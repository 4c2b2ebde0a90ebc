package io.wafleet.router.admin;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.Protocol;
import io.wafleet.avro.ServerConfig;
import io.wafleet.client.ServerConfigRules;
import io.wafleet.router.api.BadField;
import io.wafleet.router.api.Json;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A server as the admin API takes it: the seed's {@code addServer} fields plus dialect, basePath, sslVerify,
 * allowedIps, rise, fall and trustedNetwork, validated field by field with {@code ServerConfigRules}. The API key is
 * held in plaintext only until {@link ServerKeys} seals it; it is never kept, shown or returned in plaintext.
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
        ApiKeyChange apiKey,
        Integer rise,
        Integer fall,
        boolean trustedNetwork,
        String actor) {

    /**
     * Reads and checks a server object; the defaults are the seed's ({@code WHATSAPP_*} defaults for the timeouts).
     * The API key stays plaintext here until {@link ServerKeys} seals it to the server's id and origin.
     */
    static ServerForm from(Json json, String actor) {
        if (!json.has("port")) {
            throw new BadField(json.path("port"), "is required");
        }
        String apiKey = json.text("apiKey", null);
        ServerConfigRules.text("apiKey", apiKey).ifPresent(violation -> {
            throw new BadField(json.path("apiKey"), violation.problem());
        });
        String keyField = json.path("apiKey");
        ApiKeyChange key = apiKey != null
                ? new ApiKeyChange.Given(keyField, apiKey)
                : json.present("apiKey") ? new ApiKeyChange.Clear(keyField) : new ApiKeyChange.Keep(keyField);
        ServerForm form = new ServerForm(
                json.requiredText("name"),
                json.requiredText("hostname"),
                json.text("ipAddress", null),
                integer(json, ServerConfigRules.PORT, 0),
                json.choice("protocol", "https", Set.of("http", "https")),
                json.text("basePath", ""),
                json.choice("dialect", "seed", Set.of("seed", "waha", "evolution")),
                json.requiredText("environment"),
                json.text("location", null),
                integer(json, ServerConfigRules.CONNECTION_TIMEOUT, 30_000),
                integer(json, ServerConfigRules.REQUEST_TIMEOUT, 60_000),
                integer(json, ServerConfigRules.MAX_RETRIES, 3),
                integer(json, ServerConfigRules.HEALTH_CHECK_INTERVAL, 30_000),
                json.text("healthCheckEndpoint", "/api/health"),
                integer(json, ServerConfigRules.MAX_INSTANCES, 1),
                integer(json, ServerConfigRules.MAX_USERS_PER_INSTANCE, 100),
                integer(json, ServerConfigRules.MESSAGING_RATE_LIMIT, 1_000),
                json.bool("isEnabled", true),
                integer(json, ServerConfigRules.PRIORITY, 1),
                integer(json, ServerConfigRules.WEIGHT, 1),
                json.strings("tags"),
                json.bool("sslVerify", true),
                json.strings("allowedIps"),
                key,
                json.optionalInteger("rise", ServerConfigRules.RISE.min(), ServerConfigRules.RISE.max()),
                json.optionalInteger("fall", ServerConfigRules.FALL.min(), ServerConfigRules.FALL.max()),
                json.bool("trustedNetwork", false),
                actor);
        // The rules every service applies to what it reads: what is stored here can be called.
        ServerConfigRules.check(form.config()).ifPresent(violation -> {
            throw new BadField(json.path(violation.field()), violation.problem());
        });
        return form;
    }

    private static int integer(Json json, ServerConfigRules.Bounds bounds, int fallback) {
        return json.integer(bounds.field(), fallback, bounds.min(), bounds.max());
    }

    /** The record the CDC will publish of this form (id and times are placeholders; the key is checked apart). */
    ServerConfig config() {
        return ServerConfig.newBuilder()
                .setId("new")
                .setName(name)
                .setHostname(hostname)
                .setIpAddress(ipAddress)
                .setPort(port)
                .setProtocol(Protocol.valueOf(protocol.toUpperCase(Locale.ROOT)))
                .setBasePath(basePath)
                .setDialect(Dialect.valueOf(dialect.toUpperCase(Locale.ROOT)))
                .setEnvironment(environment)
                .setLocation(location)
                .setConnectionTimeout(connectionTimeout)
                .setRequestTimeout(requestTimeout)
                .setMaxRetries(maxRetries)
                .setHealthCheckInterval(healthCheckInterval)
                .setHealthCheckEndpoint(healthCheckEndpoint)
                .setMaxInstances(maxInstances)
                .setMaxUsersPerInstance(maxUsersPerInstance)
                .setMessagingRateLimit(messagingRateLimit)
                .setIsEnabled(isEnabled)
                .setPriority(priority)
                .setWeight(weight)
                .setTags(tags)
                .setSslVerify(sslVerify)
                .setAllowedIps(allowedIps)
                .setTrustedNetwork(trustedNetwork)
                .setRise(rise)
                .setFall(fall)
                .setCreatedAt(Instant.EPOCH)
                .setUpdatedAt(Instant.EPOCH)
                .build();
    }
}
