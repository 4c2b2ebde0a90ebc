package io.wafleet.router;

import io.wafleet.avro.LbAlgorithm;
import io.wafleet.router.select.OutlierRules;
import io.wafleet.router.select.PoolRule;
import io.wafleet.schemas.ApiKeyCipher;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The router's settings ({@code wafleet.router.*}).
 *
 * @param loadBalancing the default pool rule, the seed's {@code loadBalancing} section: for pools without a row in
 *     {@code server_lb_rules}
 * @param tableRefresh the least time between two snapshots of the health table (200 ms): a status change is used
 *     for selection within this of being read
 * @param metricsHistory how far back wa.server-metrics is read at start (2 h)
 * @param metricsWindowsKept windows kept per server or pool and window size (60)
 * @param adminToken a bearer token of the {@code admin} role, named {@code admin} ({@code WAFLEET_ADMIN_TOKEN})
 * @param readToken a bearer token of the {@code reader} role, named {@code reader} ({@code WAFLEET_READ_TOKEN})
 * @param tokensFile named tokens of any role, as hashes ({@code WAFLEET_TOKENS_FILE}; see {@code ApiTokens})
 * @param publicReads whether reads are answered without a token ({@code WAFLEET_PUBLIC_READS}, default false)
 * @param apiKeyEncryptionKey base64 AES key that encrypts servers' API keys ({@code WAFLEET_API_KEY_ENCRYPTION_KEY})
 * @param apiKeyOldKeys earlier encryption keys, which still decrypt ({@code WAFLEET_API_KEY_OLD_KEYS}, comma-separated)
 * @param rateLimitPerSecond requests a second one client address may make to the API (burst of as many); 0 turns
 *     the limit off ({@code WAFLEET_RATE_LIMIT_PER_SECOND}, default 1,000)
 * @param tokenRateLimitPerSecond requests a second one token may make ({@code WAFLEET_TOKEN_RATE_LIMIT_PER_SECOND},
 *     default 1,000; 0 is off)
 * @param trustedProxies CIDR blocks of the proxies whose {@code X-Forwarded-For} is believed
 *     ({@code WAFLEET_TRUSTED_PROXIES}, comma-separated; none by default)
 * @param maxBodyBytes the largest request body the API reads ({@code WAFLEET_MAX_BODY_BYTES}, default 1 MiB): a
 *     larger one is a 413
 * @param advertisedUrl the base URL other router instances reach this one's API at, to forward calls for the
 *     accounts it holds ({@code WAFLEET_ROUTER_ADVERTISEDURL}; default {@code http://<this host's address>:<port>})
 * @param outliers when this router ejects a server from its own selection on its own calls' failures
 *     ({@code wafleet.router.outliers.*}, see {@link OutlierRules})
 */
@ConfigurationProperties("wafleet.router")
public record RouterProperties(
        LoadBalancing loadBalancing,
        Duration tableRefresh,
        Duration metricsHistory,
        int metricsWindowsKept,
        String adminToken,
        String readToken,
        String tokensFile,
        boolean publicReads,
        String apiKeyEncryptionKey,
        List<String> apiKeyOldKeys,
        int rateLimitPerSecond,
        int tokenRateLimitPerSecond,
        List<String> trustedProxies,
        long maxBodyBytes,
        String advertisedUrl,
        Outliers outliers) {

    public RouterProperties {
        outliers = outliers == null ? new Outliers(null, null, null, null, null) : outliers;
        loadBalancing = loadBalancing == null ? new LoadBalancing(null, null, null, 0) : loadBalancing;
        tableRefresh = tableRefresh == null ? Duration.ofMillis(200) : tableRefresh;
        metricsHistory = metricsHistory == null ? Duration.ofHours(2) : metricsHistory;
        metricsWindowsKept = metricsWindowsKept <= 0 ? 60 : metricsWindowsKept;
        adminToken = blankToNull(adminToken);
        readToken = blankToNull(readToken);
        tokensFile = blankToNull(tokensFile);
        apiKeyEncryptionKey = blankToNull(apiKeyEncryptionKey);
        advertisedUrl = blankToNull(advertisedUrl);
        apiKeyOldKeys = apiKeyOldKeys == null ? List.of() : List.copyOf(apiKeyOldKeys);
        rateLimitPerSecond = Math.max(0, rateLimitPerSecond);
        tokenRateLimitPerSecond = Math.max(0, tokenRateLimitPerSecond);
        trustedProxies = trustedProxies == null
                ? List.of()
                : trustedProxies.stream()
                        .filter(p -> !p.isBlank())
                        .map(String::strip)
                        .toList();
        maxBodyBytes = maxBodyBytes <= 0 ? 1 << 20 : maxBodyBytes;
    }

    /** The key ring of servers' API keys, or null when no key is configured. */
    public ApiKeyCipher cipher() {
        return ApiKeyCipher.ofSettings(apiKeyEncryptionKey, apiKeyOldKeys);
    }

    /** The URL others reach this instance's API at: as configured, or this host's address with the API's port. */
    public String apiUrl(int port) {
        if (advertisedUrl != null) {
            return advertisedUrl;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (java.net.UnknownHostException e) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "RouterProperties[loadBalancing=" + loadBalancing + ", tableRefresh=" + tableRefresh
                + ", adminToken=***, readToken=***, tokensFile=" + tokensFile
                + ", publicReads=" + publicReads + ", apiKeyEncryptionKey=***]";
    }

    /** {@link OutlierRules}, each setting defaulting to {@link OutlierRules#DEFAULT}'s. */
    public record Outliers(
            Boolean enabled,
            Integer consecutiveFailures,
            Duration baseEjectionTime,
            Duration maxEjectionTime,
            Double maxEjectedShare) {

        public OutlierRules rules() {
            OutlierRules d = OutlierRules.DEFAULT;
            return new OutlierRules(
                    enabled == null ? d.enabled() : enabled,
                    consecutiveFailures == null ? d.consecutiveFailures() : consecutiveFailures,
                    baseEjectionTime == null ? d.baseEjectionTime() : baseEjectionTime,
                    maxEjectionTime == null ? d.maxEjectionTime() : maxEjectionTime,
                    maxEjectedShare == null ? d.maxEjectedShare() : maxEjectedShare);
        }
    }

    /**
     * @param algorithm default {@code weighted_round_robin}, as the seed's example
     * @param healthCheckRequired default true
     * @param failoverEnabled default true
     * @param panicThreshold default 0.5
     */
    public record LoadBalancing(
            LbAlgorithm algorithm, Boolean healthCheckRequired, Boolean failoverEnabled, double panicThreshold) {

        public PoolRule rule() {
            return new PoolRule(
                    algorithm == null ? PoolRule.DEFAULT.algorithm() : algorithm,
                    healthCheckRequired == null || healthCheckRequired,
                    failoverEnabled == null || failoverEnabled,
                    panicThreshold <= 0 ? PoolRule.DEFAULT.panicThreshold() : panicThreshold);
        }
    }
}
