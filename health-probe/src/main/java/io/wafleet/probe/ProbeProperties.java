package io.wafleet.probe;

import io.wafleet.schemas.ApiKeyCipher;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The probe worker's settings ({@code wafleet.probe.*}). The defaults for servers whose config leaves a value out
 * (0) come from the seed's {@code WHATSAPP_*} variables (see application.yaml).
 *
 * @param probeId this worker's id on every HealthCheck; by default the host name and a random suffix
 * @param groupId the consumer group the workers share
 * @param defaultInterval check interval of a server whose config gives none ({@code WHATSAPP_HEALTH_CHECK_INTERVAL})
 * @param defaultConnectTimeout ({@code WHATSAPP_CONNECTION_TIMEOUT})
 * @param defaultRequestTimeout ({@code WHATSAPP_REQUEST_TIMEOUT})
 * @param minInterval the shortest interval a config may ask for
 * @param retryBackoff the wait before the first retry of a failed check; doubles each retry, with jitter
 * @param retryBackoffMax the longest wait between retries
 * @param apiKeyEncryptionKey base64 AES key that opens the configs' API keys ({@code WAFLEET_API_KEY_ENCRYPTION_KEY})
 * @param apiKeyOldKeys earlier encryption keys, which still decrypt ({@code WAFLEET_API_KEY_OLD_KEYS})
 * @param maxBodyBytes a health answer larger than this is a BAD_BODY failure
 * @param statsInterval how often a server's stats are fetched, after a successful check; stats change slowly, and
 *     fetching them with every check would double the requests
 */
@ConfigurationProperties("wafleet.probe")
public record ProbeProperties(
        String probeId,
        String groupId,
        Duration defaultInterval,
        Duration defaultConnectTimeout,
        Duration defaultRequestTimeout,
        Duration minInterval,
        Duration retryBackoff,
        Duration retryBackoffMax,
        String apiKeyEncryptionKey,
        List<String> apiKeyOldKeys,
        int maxBodyBytes,
        Duration statsInterval) {

    public ProbeProperties {
        probeId = probeId == null || probeId.isBlank() ? defaultProbeId() : probeId;
        groupId = groupId == null ? "wafleet-health-probe" : groupId;
        defaultInterval = defaultInterval == null ? Duration.ofSeconds(30) : defaultInterval;
        defaultConnectTimeout = defaultConnectTimeout == null ? Duration.ofSeconds(30) : defaultConnectTimeout;
        defaultRequestTimeout = defaultRequestTimeout == null ? Duration.ofSeconds(60) : defaultRequestTimeout;
        minInterval = minInterval == null ? Duration.ofMillis(100) : minInterval;
        retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
        retryBackoffMax = retryBackoffMax == null ? Duration.ofSeconds(5) : retryBackoffMax;
        maxBodyBytes = maxBodyBytes <= 0 ? 1 << 20 : maxBodyBytes;
        statsInterval = statsInterval == null ? Duration.ofSeconds(30) : statsInterval;
        apiKeyOldKeys = apiKeyOldKeys == null ? List.of() : List.copyOf(apiKeyOldKeys);
    }

    /** The key ring of servers' API keys, or null when no key is configured. */
    public ApiKeyCipher cipher() {
        return ApiKeyCipher.ofSettings(apiKeyEncryptionKey, apiKeyOldKeys);
    }

    private static String defaultProbeId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "probe");
        return host + "-"
                + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
    }

    @Override
    public String toString() {
        return "ProbeProperties[probeId=" + probeId + ", groupId=" + groupId + ", apiKeyEncryptionKey=***]";
    }
}
