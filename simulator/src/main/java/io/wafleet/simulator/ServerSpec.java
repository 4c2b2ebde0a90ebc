package io.wafleet.simulator;

import io.wafleet.avro.Dialect;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one simulated WhatsApp server behaves: its dialect, where it listens, its latency and error rate, capacity,
 * version, API key, TLS, and how soon a waiting account is "scanned".
 *
 * @param id stable id of the server within the fleet
 * @param name display name
 * @param dialect the HTTP API it speaks
 * @param port the port to listen on, 0 for any free one
 * @param latency the latency distribution of its answers
 * @param errorRate the fraction of requests answered 500, 0..1
 * @param maxInstances instances it runs
 * @param maxUsersPerInstance accounts per instance; capacity is their product
 * @param version the version it reports and behaves as (WAHA: 2024.9.x, 2024.10.x, or older to be refused; Evolution:
 *     1.8.x or 2.x)
 * @param tier WAHA's edition, CORE (one session, {@code default}) or PLUS (many); null for other dialects
 * @param waitScale how much of the real servers' own waits it keeps (WAHA Core's 3 s after stopping a session,
 *     Evolution's 5 s in create with a QR): 1 as the real server, 0 none
 * @param apiKey the key clients must send in the dialect's header, or null for none
 * @param tls serve HTTPS with a self-signed certificate
 * @param scanDelay how long after its QR is issued an account becomes connected, or null to wait for a control call
 * @param environment the pool it is described in by servers.json
 * @param location its location in servers.json
 * @param priority its priority in servers.json
 * @param weight its weight in servers.json
 * @param tags its tags in servers.json
 * @param qrImagesAhead 0 to draw each QR's image when asked, as the real servers do; more to draw that many at start
 *     and reuse them (see {@link QrImages}), for a bench whose router shares the machine with its servers
 */
public record ServerSpec(
        String id,
        String name,
        Dialect dialect,
        int port,
        LatencyModel latency,
        double errorRate,
        int maxInstances,
        int maxUsersPerInstance,
        String version,
        String tier,
        double waitScale,
        String apiKey,
        boolean tls,
        Duration scanDelay,
        String environment,
        String location,
        int priority,
        int weight,
        List<String> tags,
        int qrImagesAhead) {

    public ServerSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(latency, "latency");
        if (errorRate < 0 || errorRate > 1) {
            throw new IllegalArgumentException("errorRate must be within 0..1, was " + errorRate);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (qrImagesAhead < 0) {
            throw new IllegalArgumentException("qrImagesAhead must not be negative, was " + qrImagesAhead);
        }
        if (waitScale < 0) {
            throw new IllegalArgumentException("waitScale must not be negative, was " + waitScale);
        }
        if (dialect == Dialect.WAHA) {
            tier = tier == null ? "PLUS" : tier;
            if (!tier.equals("CORE") && !tier.equals("PLUS")) {
                throw new IllegalArgumentException("a WAHA tier is CORE or PLUS, was " + tier);
            }
        }
        name = name == null ? id : name;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A server of the dialect with fast answers, no errors, room for 500 accounts and a manual scan. */
    public static ServerSpec of(String id, Dialect dialect) {
        return builder(id, dialect).build();
    }

    /** A builder starting from {@link #of}'s defaults. */
    public static Builder builder(String id, Dialect dialect) {
        return new Builder(id, dialect);
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        Builder builder = new Builder(id, dialect);
        builder.name = name;
        builder.port = port;
        builder.latency = latency;
        builder.errorRate = errorRate;
        builder.maxInstances = maxInstances;
        builder.maxUsersPerInstance = maxUsersPerInstance;
        builder.version = version;
        builder.tier = tier;
        builder.waitScale = waitScale;
        builder.apiKey = apiKey;
        builder.tls = tls;
        builder.scanDelay = scanDelay;
        builder.environment = environment;
        builder.location = location;
        builder.priority = priority;
        builder.weight = weight;
        builder.tags = tags;
        builder.qrImagesAhead = qrImagesAhead;
        return builder;
    }

    /** A WAHA Core server: one session, {@code default}. */
    public boolean wahaCore() {
        return dialect == Dialect.WAHA && "CORE".equals(tier);
    }

    public int capacity() {
        return maxInstances * maxUsersPerInstance;
    }

    /** Builds a {@link ServerSpec}; every setter returns the builder. */
    public static final class Builder {
        private final String id;
        private final Dialect dialect;
        private String name;
        private int port;
        private LatencyModel latency = LatencyModel.logNormal(2, 10);
        private double errorRate;
        private int maxInstances = 5;
        private int maxUsersPerInstance = 100;
        private String version;
        private String tier;
        private double waitScale = 1;
        private String apiKey;
        private boolean tls;
        private Duration scanDelay;
        private String environment = "development";
        private String location = "local";
        private int priority = 1;
        private int weight = 1;
        private List<String> tags = List.of();
        private int qrImagesAhead;

        private Builder(String id, Dialect dialect) {
            this.id = id;
            this.dialect = dialect;
            this.name = id;
            this.version = defaultVersion(dialect);
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder latency(double medianMs, double p99Ms) {
            this.latency = LatencyModel.logNormal(medianMs, p99Ms);
            return this;
        }

        public Builder errorRate(double errorRate) {
            this.errorRate = errorRate;
            return this;
        }

        public Builder capacity(int maxInstances, int maxUsersPerInstance) {
            this.maxInstances = maxInstances;
            this.maxUsersPerInstance = maxUsersPerInstance;
            return this;
        }

        /** The version it reports; null: the latest whose source it copies. */
        public Builder version(String version) {
            this.version = version == null ? defaultVersion(dialect) : version;
            return this;
        }

        public Builder tier(String tier) {
            this.tier = tier;
            return this;
        }

        public Builder waitScale(double waitScale) {
            this.waitScale = waitScale;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        public Builder scanDelay(Duration scanDelay) {
            this.scanDelay = scanDelay;
            return this;
        }

        public Builder pool(String environment, String location) {
            this.environment = environment;
            this.location = location;
            return this;
        }

        public Builder priority(int priority, int weight) {
            this.priority = priority;
            this.weight = weight;
            return this;
        }

        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        /** Draws that many QR images at start and answers every QR with one of them; 0 (the default) draws each. */
        public Builder qrImagesAhead(int qrImagesAhead) {
            this.qrImagesAhead = qrImagesAhead;
            return this;
        }

        public ServerSpec build() {
            return new ServerSpec(
                    id,
                    name,
                    dialect,
                    port,
                    latency,
                    errorRate,
                    maxInstances,
                    maxUsersPerInstance,
                    version,
                    tier,
                    waitScale,
                    apiKey,
                    tls,
                    scanDelay,
                    environment,
                    location,
                    priority,
                    weight,
                    tags,
                    qrImagesAhead);
        }
    }

    private static String defaultVersion(Dialect dialect) {
        return switch (dialect) {
            case SEED -> "1.2.3";
            case WAHA -> "2024.10.8";
            case EVOLUTION -> "2.3.6";
        };
    }

    @Override
    public String toString() {
        // The API key stays out of logs.
        return "ServerSpec[" + id + ", " + dialect + ", port " + port + ", apiKey " + (apiKey == null ? "none" : "***")
                + "]";
    }
}
