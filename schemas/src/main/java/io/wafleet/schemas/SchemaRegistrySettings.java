package io.wafleet.schemas;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the schema registry is and how to reach it, in the Confluent clients' own terms (each also as an environment
 * variable, upper case with {@code _} for {@code .}): {@code schema.registry.url} (one URL or a comma-separated list,
 * tried in turn), {@code schema.registry.basic.auth.user.info} ({@code user:password}), {@code
 * schema.registry.ssl.truststore.location} and {@code .password} (a PEM bundle or a PKCS12 / JKS trust store of the
 * registry's CA). {@code wafleet.wire-format} says what producers write: {@code confluent} (the default with a
 * registry) or {@code single-object}, for a fleet that is switching over (every service reads both).
 *
 * @param urls the registry's base URLs, e.g. {@code http://registry:8080/apis/ccompat/v7}
 * @param userInfo {@code user:password} for HTTP basic authentication, or null
 * @param trustStore the registry's CA certificates, or null for the JDK's
 * @param trustStorePassword the trust store's password, or null
 * @param writeConfluent whether producers write the Confluent wire format (else single-object encoding)
 * @param startupWait how long a service waits at start for a registry that does not answer, before it gives up
 */
public record SchemaRegistrySettings(
        List<URI> urls,
        String userInfo,
        Path trustStore,
        char[] trustStorePassword,
        boolean writeConfluent,
        Duration startupWait) {

    public static final String URL = "schema.registry.url";
    public static final String USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String TRUST_STORE = "schema.registry.ssl.truststore.location";
    public static final String TRUST_STORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String WIRE_FORMAT = "wafleet.wire-format";
    public static final String STARTUP_WAIT = "wafleet.schema-registry.startup-wait";

    public SchemaRegistrySettings {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " names no URL");
        }
    }

    /** The settings a service was given, read with {@code property}; empty without {@code schema.registry.url}. */
    public static Optional<SchemaRegistrySettings> from(Function<String, String> property) {
        String url = property.apply(URL);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        List<URI> urls = Arrays.stream(url.split(","))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .map(value -> URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value))
                .toList();
        String format = orDefault(property.apply(WIRE_FORMAT), "confluent").toLowerCase(Locale.ROOT);
        if (!format.equals("confluent") && !format.equals("single-object")) {
            throw new IllegalArgumentException(
                    WIRE_FORMAT + " must be confluent or single-object, not '" + format + "'");
        }
        String trustStore = property.apply(TRUST_STORE);
        String password = property.apply(TRUST_STORE_PASSWORD);
        return Optional.of(new SchemaRegistrySettings(
                urls,
                blankToNull(property.apply(USER_INFO)),
                trustStore == null || trustStore.isBlank() ? null : Path.of(trustStore),
                password == null ? null : password.toCharArray(),
                format.equals("confluent"),
                Duration.parse(
                        "PT" + orDefault(property.apply(STARTUP_WAIT), "60s").toUpperCase(Locale.ROOT))));
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Never the password: settings are logged. */
    @Override
    public String toString() {
        return "SchemaRegistrySettings[urls=" + urls + ", basicAuth=" + (userInfo != null) + ", trustStore="
                + trustStore + ", writeConfluent=" + writeConfluent + ", startupWait=" + startupWait + "]";
    }
}
