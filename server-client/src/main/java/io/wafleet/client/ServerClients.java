package io.wafleet.client;

import io.wafleet.schemas.DaemonThreads;
import io.wafleet.schemas.TrustStores;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes a {@link ServerClient} per server. HTTP clients (Apache HttpClient 5, async; each with its connection pool and
 * one I/O thread) are shared between servers with the same connect timeout and TLS verification, so thousands of
 * servers need a few. One {@link PolicyDnsResolver} decides for all of them which addresses a call may connect to.
 */
public final class ServerClients implements AutoCloseable {

    private record ClientKey(Duration connectTimeout, boolean verifyTls) {}

    private final ClientSettings settings;
    private final Map<ClientKey, CloseableHttpAsyncClient> clients = new ConcurrentHashMap<>();
    private final PolicyDnsResolver resolver = new PolicyDnsResolver();
    private final SSLContext verifying;
    private final ExecutorService callbacks;

    public ServerClients(ClientSettings settings) {
        this.settings = settings;
        this.verifying = TrustStores.context(settings.trustStore(), settings.trustStorePassword());
        this.callbacks = Executors.newFixedThreadPool(settings.callbackThreads(), DaemonThreads.named("server-client"));
    }

    /** The client for one server, in its dialect, that asks for no webhooks. */
    public ServerClient forEndpoint(ServerEndpoint endpoint) {
        return forEndpoint(endpoint, null);
    }

    /**
     * The client for one server, in its dialect.
     *
     * @param webhook where the sessions it creates send their events, or null for none
     */
    public ServerClient forEndpoint(ServerEndpoint endpoint, Webhook webhook) {
        URI base = URI.create(endpoint.baseUrl());
        int port = base.getPort() != -1 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
        resolver.register(base.getHost(), port, endpoint.addressPolicy());
        CloseableHttpAsyncClient http = clients.computeIfAbsent(
                new ClientKey(endpoint.connectTimeout(), endpoint.verifyTls()), this::newHttpClient);
        return switch (endpoint.dialect()) {
            case SEED ->
                new SeedClient(new HttpCaller(http, endpoint, "X-Api-Key", settings.maxBodyBytes(), callbacks));
            case WAHA ->
                new WahaClient(
                        new HttpCaller(http, endpoint, "X-Api-Key", settings.maxBodyBytes(), callbacks), webhook);
            case EVOLUTION ->
                new EvolutionClient(
                        new HttpCaller(http, endpoint, "apikey", settings.maxBodyBytes(), callbacks), webhook);
        };
    }

    /** Closes the HTTP clients (their connections and I/O threads). */
    @Override
    public void close() {
        clients.values().forEach(client -> client.close(CloseMode.IMMEDIATE));
        clients.clear();
        callbacks.shutdownNow();
    }

    private CloseableHttpAsyncClient newHttpClient(ClientKey key) {
        TlsStrategy tls = ClientTlsStrategyBuilder.create()
                .setSslContext(key.verifyTls() ? verifying : TrustAll.CONTEXT)
                .setHostnameVerifier(key.verifyTls() ? new DefaultHostnameVerifier() : NoopHostnameVerifier.INSTANCE)
                .build();
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setTlsStrategy(tls)
                .setDefaultTlsConfig(TlsConfig.custom()
                        .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(key.connectTimeout()))
                        .build())
                .setMaxConnTotal(10_000)
                .setMaxConnPerRoute(64)
                .build();
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                // A connection's state is the address policy it was opened under, and a pooled connection is only
                // leased to a call of the same policy: a policy change never reuses a connection checked by the old
                // one.
                .setUserTokenHandler(
                        (route, context) -> HttpClientContext.cast(context).getUserToken())
                .build();
        client.start();
        return client;
    }

    /** For servers whose operator turned TLS verification off (sslVerify false): any certificate, any host. */
    private static final class TrustAll extends javax.net.ssl.X509ExtendedTrustManager {

        static final SSLContext CONTEXT = context();

        private static SSLContext context() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a TLS context", e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
