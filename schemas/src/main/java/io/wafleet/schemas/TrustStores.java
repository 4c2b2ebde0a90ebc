package io.wafleet.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates a TLS peer (a WhatsApp server, the schema registry) is verified against: the JDK's public CAs, plus
 * the operator's own (a PEM bundle of CA certificates, or a PKCS12 / JKS trust store), so peers behind a private CA
 * are verified instead of having verification turned off.
 */
public final class TrustStores {

    private TrustStores() {}

    /** A TLS context that trusts the JDK's CAs and, when {@code trustStore} is given, the ones in it. */
    public static SSLContext context(Path trustStore, char[] password) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(trustStore, password), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    private static TrustManager[] trustManagers(Path trustStore, char[] password) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (trustStore == null) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        }
        KeyStore merged = KeyStore.getInstance("PKCS12");
        try {
            merged.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (X509Certificate ca : jdkAuthorities()) {
            merged.setCertificateEntry("jdk-" + i++, ca);
        }
        for (Certificate own : read(trustStore, password)) {
            merged.setCertificateEntry("own-" + i++, own);
        }
        factory.init(merged);
        return factory.getTrustManagers();
    }

    /** The certificate authorities a context made from this trust store accepts. */
    public static X509Certificate[] authorities(Path trustStore, char[] password) throws GeneralSecurityException {
        for (TrustManager manager : trustManagers(trustStore, password)) {
            if (manager instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    private static X509Certificate[] jdkAuthorities() throws GeneralSecurityException {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        for (TrustManager manager : jdk.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    private static Iterable<? extends Certificate> read(Path trustStore, char[] password)
            throws GeneralSecurityException {
        String name = trustStore.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream in = Files.newInputStream(trustStore)) {
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
                var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw new IllegalStateException("no certificate in " + trustStore);
                }
                return certificates;
            }
            KeyStore store = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, password);
            java.util.List<Certificate> certificates = new java.util.ArrayList<>();
            for (String alias : java.util.Collections.list(store.aliases())) {
                certificates.add(store.getCertificate(alias));
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server trust store " + trustStore, e);
        }
    }
}
