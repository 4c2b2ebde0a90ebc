package io.wafleet.client;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Settings shared by every server client.
 *
 * @param maxBodyBytes an answer larger than this is a BAD_BODY failure
 * @param trustStore certificates trusted besides the JDK's for verifying servers (a PEM bundle, PKCS12 or JKS), or
 *     null
 * @param trustStorePassword its password, or null
 * @param callbackThreads threads that read answers and run callers' continuations
 */
public record ClientSettings(int maxBodyBytes, Path trustStore, char[] trustStorePassword, int callbackThreads) {

    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    public ClientSettings {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        if (callbackThreads < 1) {
            throw new IllegalArgumentException("callbackThreads must be positive, was " + callbackThreads);
        }
    }

    /** A 1 MiB body limit, the JDK's trusted certificates, and a callback thread per core (at least two). */
    public static ClientSettings defaults() {
        return new ClientSettings(
                DEFAULT_MAX_BODY_BYTES,
                null,
                null,
                Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public ClientSettings withTrustStore(Path trustStore, char[] password) {
        return new ClientSettings(maxBodyBytes, trustStore, password, callbackThreads);
    }

    /**
     * The trust store a service's settings name ({@code wafleet.server-tls.trust-store} and {@code
     * .trust-store-password}, i.e. {@code WAFLEET_SERVER_TRUST_STORE} and its password), read with {@code property}.
     */
    public ClientSettings withServerTls(UnaryOperator<String> property) {
        return withTrustStore(
                property.apply("wafleet.server-tls.trust-store"),
                property.apply("wafleet.server-tls.trust-store-password"));
    }

    /** The settings' trust store as configured: a blank path is none ({@code WAFLEET_SERVER_TRUST_STORE}). */
    public ClientSettings withTrustStore(String path, String password) {
        return path == null || path.isBlank()
                ? this
                : withTrustStore(Path.of(path), password == null || password.isEmpty() ? null : password.toCharArray());
    }

    public ClientSettings withMaxBodyBytes(int maxBodyBytes) {
        return new ClientSettings(maxBodyBytes, trustStore, trustStorePassword, callbackThreads);
    }

    @Override
    public String toString() {
        return "ClientSettings[maxBodyBytes=" + maxBodyBytes + ", trustStore=" + trustStore + "]";
    }
}
