package io.wafleet.platform.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A second listener of the embedded broker as a secured production cluster has it: TLS with the certificate in
 * {@code keyStore} (PKCS12) and SASL SCRAM-SHA-512 authentication. Users are created with the admin client
 * ({@code alterUserScramCredentials}) on the plain listener.
 */
public record SaslSslListener(Path keyStore, char[] password) {

    public static final String MECHANISM = "SCRAM-SHA-512";

    /** The broker settings of the listener on {@code port}. */
    Map<String, String> settings(int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sasl.enabled.mechanisms", MECHANISM);
        settings.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        settings.put("listener.name.sasl_ssl.ssl.keystore.location", keyStore.toString());
        settings.put("listener.name.sasl_ssl.ssl.keystore.password", new String(password));
        settings.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        settings.put("listener.name.sasl_ssl.ssl.key.password", new String(password));
        return settings;
    }

    @Override
    public String toString() {
        return "SaslSslListener[keyStore=" + keyStore + ", password=***]";
    }
}
