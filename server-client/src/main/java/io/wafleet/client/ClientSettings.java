package io.wafleet.client;

import java.nio.file.Path;

/**
 * Settings shared by every server client.
 *
 * @param maxBodyBytes an answer larger than this is a BAD_BODY failure
 * @param trustStore a PKCS12 or JKS trust store for verifying server certificates instead of the JDK's, or null
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

    @Override
    public String toString() {
        return "ClientSettings[maxBodyBytes=" + maxBodyBytes + ", trustStore=" + trustStore + "]";
    }
}
