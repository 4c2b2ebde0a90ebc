package io.wafleet.client;

import io.wafleet.avro.Dialect;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach one WhatsApp server. The API key is plaintext here, in memory only: {@link #toString()}
 * never shows it.
 *
 * @param serverId the server's id, for messages
 * @param baseUrl protocol://host:port plus the base path, without a trailing slash
 * @param dialect the API it speaks
 * @param healthPath the health endpoint; null takes the dialect's
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for a whole answer
 * @param apiKey the key sent in the dialect's header, or null
 * @param verifyTls verify the server's TLS certificate (and host name); on unless the operator turned it off
 * @param addressPolicy the addresses a call may connect to ({@code ipAddress}, {@code allowedIps})
 */
public record ServerEndpoint(
        String serverId,
        String baseUrl,
        Dialect dialect,
        String healthPath,
        Duration connectTimeout,
        Duration requestTimeout,
        String apiKey,
        boolean verifyTls,
        AddressPolicy addressPolicy) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public ServerEndpoint {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(dialect, "dialect");
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        healthPath = healthPath == null || healthPath.isBlank() ? defaultHealthPath(dialect) : healthPath;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        addressPolicy = addressPolicy == null ? AddressPolicy.NONE : addressPolicy;
    }

    /** An endpoint with the dialect's health path, default timeouts, no key, and TLS verification on. */
    public static ServerEndpoint of(String serverId, String baseUrl, Dialect dialect) {
        return new ServerEndpoint(serverId, baseUrl, dialect, null, null, null, null, true, AddressPolicy.NONE);
    }

    public ServerEndpoint withTimeouts(Duration connectTimeout, Duration requestTimeout) {
        return new ServerEndpoint(
                serverId,
                baseUrl,
                dialect,
                healthPath,
                connectTimeout,
                requestTimeout,
                apiKey,
                verifyTls,
                addressPolicy);
    }

    public ServerEndpoint withApiKey(String apiKey) {
        return new ServerEndpoint(
                serverId,
                baseUrl,
                dialect,
                healthPath,
                connectTimeout,
                requestTimeout,
                apiKey,
                verifyTls,
                addressPolicy);
    }

    public ServerEndpoint withVerifyTls(boolean verifyTls) {
        return new ServerEndpoint(
                serverId,
                baseUrl,
                dialect,
                healthPath,
                connectTimeout,
                requestTimeout,
                apiKey,
                verifyTls,
                addressPolicy);
    }

    public ServerEndpoint withHealthPath(String healthPath) {
        return new ServerEndpoint(
                serverId,
                baseUrl,
                dialect,
                healthPath,
                connectTimeout,
                requestTimeout,
                apiKey,
                verifyTls,
                addressPolicy);
    }

    public ServerEndpoint withAddressPolicy(AddressPolicy addressPolicy) {
        return new ServerEndpoint(
                serverId,
                baseUrl,
                dialect,
                healthPath,
                connectTimeout,
                requestTimeout,
                apiKey,
                verifyTls,
                addressPolicy);
    }

    /** The health endpoint a dialect answers on by default. */
    public static String defaultHealthPath(Dialect dialect) {
        return switch (dialect) {
            case SEED -> "/api/health";
            case WAHA -> "/api/server/status";
            case EVOLUTION -> "/";
        };
    }

    @Override
    public String toString() {
        return "ServerEndpoint[" + serverId + ", " + dialect + ", " + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", verifyTls=" + verifyTls + "]";
    }
}
