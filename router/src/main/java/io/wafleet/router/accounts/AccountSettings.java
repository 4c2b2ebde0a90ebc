package io.wafleet.router.accounts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the router carries accounts through their lifecycle ({@code wafleet.router.accounts.*}).
 *
 * @param group the consumer group of the routers over wa.connection-requests ({@code wafleet-router})
 * @param qrTimeout how long an account may wait for its QR to be scanned before the attempt is FAILED and its
 *     session removed (2 min)
 * @param statusPollInterval how often the session of an account waiting for a scan is polled (2 s)
 * @param qrRepublishInterval a server's new QR code for a waiting account is published at most this often (15 s)
 * @param maxRetries further servers tried after the chosen one fails a connect (3, the seed's maxRetries)
 * @param retryBackoff the wait before the first retry; doubles each retry, with jitter (200 ms)
 * @param retryBackoffMax the longest wait between retries (5 s)
 * @param maxInFlight requests this instance works on at once; beyond it, it stops reading requests (2,000)
 * @param replyTimeout how long a REST call waits for the answer to the request it posted (30 s)
 * @param migrationConcurrency migrations a drain runs at once (8)
 * @param bulkConcurrency servers or accounts a bulk operation works on at once (16)
 * @param connectionTimeout connect timeout for servers whose config has none ({@code WHATSAPP_CONNECTION_TIMEOUT})
 * @param requestTimeout request timeout for servers whose config has none ({@code WHATSAPP_REQUEST_TIMEOUT})
 * @param hold which accounts this instance keeps: only those of the partitions whose requests it handles
 *     ({@code owned-partitions}, the default), or those of every request partition ({@code every-partition})
 */
@ConfigurationProperties("wafleet.router.accounts")
public record AccountSettings(
        String group,
        Duration qrTimeout,
        Duration statusPollInterval,
        Duration qrRepublishInterval,
        Integer maxRetries,
        Duration retryBackoff,
        Duration retryBackoffMax,
        int maxInFlight,
        Duration replyTimeout,
        int migrationConcurrency,
        int bulkConcurrency,
        Duration connectionTimeout,
        Duration requestTimeout,
        Hold hold) {

    /** Which accounts' states a router instance reads and keeps. */
    public enum Hold {
        /** Every account: any instance answers any account from its own memory. */
        EVERY_PARTITION,
        /** The accounts of the request partitions this instance handles: memory and start time divide by instances. */
        OWNED_PARTITIONS
    }

    public AccountSettings {
        group = group == null || group.isBlank() ? "wafleet-router" : group;
        qrTimeout = qrTimeout == null ? Duration.ofMinutes(2) : qrTimeout;
        statusPollInterval = statusPollInterval == null ? Duration.ofSeconds(2) : statusPollInterval;
        qrRepublishInterval = qrRepublishInterval == null ? Duration.ofSeconds(15) : qrRepublishInterval;
        maxRetries = maxRetries == null ? 3 : Math.max(0, maxRetries);
        retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
        retryBackoffMax = retryBackoffMax == null ? Duration.ofSeconds(5) : retryBackoffMax;
        maxInFlight = maxInFlight <= 0 ? 2000 : maxInFlight;
        replyTimeout = replyTimeout == null ? Duration.ofSeconds(30) : replyTimeout;
        migrationConcurrency = migrationConcurrency <= 0 ? 8 : migrationConcurrency;
        bulkConcurrency = bulkConcurrency <= 0 ? 16 : bulkConcurrency;
        connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(30) : connectionTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
        hold = hold == null ? Hold.OWNED_PARTITIONS : hold;
    }

    public static AccountSettings defaults() {
        return new AccountSettings(null, null, null, null, null, null, null, 0, null, 0, 0, null, null, null);
    }
}
