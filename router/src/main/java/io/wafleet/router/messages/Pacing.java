package io.wafleet.router.messages;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The send limits (token buckets, Bucket4j): one per account at its limit per minute, one per server at its share of
 * {@code messagingRateLimit}. A bucket holds at most a second's worth of its rate (at least one), so a minute under
 * a backlog sends the limit and at most that second more. Used on the message worker's thread only.
 */
final class Pacing {

    private record Limited(int perMinute, Bucket bucket) {}

    private final Map<String, Limited> accounts = new HashMap<>();
    private final Map<String, Limited> servers = new HashMap<>();

    /**
     * Takes one send from both buckets when both have it; otherwise takes nothing and answers how long until they
     * may (zero when the send may go now).
     */
    Duration take(String accountId, int accountPerMinute, String serverId, int serverPerMinute) {
        Bucket account = bucket(accounts, accountId, accountPerMinute);
        Bucket server = bucket(servers, serverId, serverPerMinute);
        long accountWait = account.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        long serverWait = server.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        if (accountWait > 0 || serverWait > 0) {
            return Duration.ofNanos(Math.max(accountWait, serverWait));
        }
        if (!server.tryConsume(1)) {
            return Duration.ofMillis(1);
        }
        account.tryConsume(1);
        return Duration.ZERO;
    }

    /** Forgets an account's bucket (its partition went to another router). */
    void forget(String accountId) {
        accounts.remove(accountId);
    }

    private static Bucket bucket(Map<String, Limited> buckets, String id, int perMinute) {
        Limited limited = buckets.get(id);
        if (limited == null || limited.perMinute() != perMinute) {
            long burst = Math.max(1, perMinute / 60);
            Bucket bucket = Bucket.builder()
                    .addLimit(Bandwidth.builder()
                            .capacity(burst)
                            .refillGreedy(perMinute, Duration.ofMinutes(1))
                            .build())
                    .build();
            limited = new Limited(perMinute, bucket);
            buckets.put(id, limited);
        }
        return limited.bucket();
    }
}
