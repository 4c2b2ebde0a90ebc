package io.wafleet.router.messages;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the router sends outbound messages ({@code wafleet.router.messages.*}).
 *
 * @param enabled whether this router sends the messages of the accounts it owns (true)
 * @param perAccountPerMinute messages one account sends per minute at most (20): WhatsApp bans accounts that send
 *     too fast, so the default is far below what a server takes
 * @param accountLimits per-account overrides of {@code perAccountPerMinute}, by account id
 * @param defaultTtl how long a message without its own expiry may wait before it is FAILED (1 h)
 * @param retryEvery how often a message waiting for its account, its server or the server's rate limit is tried
 *     again (2 s)
 * @param maxBuffered messages read and not yet done per partition; beyond it the partition pauses (5,000)
 * @param maxTextLength the longest text accepted (4,096 characters: WhatsApp's limit for a text message)
 * @param group the consumer group whose committed offsets say where each message partition's owner starts
 */
@ConfigurationProperties("wafleet.router.messages")
public record MessageSettings(
        Boolean enabled,
        int perAccountPerMinute,
        Map<String, Integer> accountLimits,
        Duration defaultTtl,
        Duration retryEvery,
        int maxBuffered,
        int maxTextLength,
        String group) {

    public MessageSettings {
        enabled = enabled == null || enabled;
        perAccountPerMinute = perAccountPerMinute <= 0 ? 20 : perAccountPerMinute;
        accountLimits = accountLimits == null ? Map.of() : Map.copyOf(accountLimits);
        defaultTtl = defaultTtl == null ? Duration.ofHours(1) : defaultTtl;
        retryEvery = retryEvery == null ? Duration.ofSeconds(2) : retryEvery;
        maxBuffered = maxBuffered <= 0 ? 5_000 : maxBuffered;
        maxTextLength = maxTextLength <= 0 ? 4_096 : maxTextLength;
        group = group == null || group.isBlank() ? "wafleet-router-messages" : group;
    }

    public static MessageSettings defaults() {
        return new MessageSettings(null, 0, null, null, null, 0, 0, null);
    }

    /** The account's own limit per minute, or the default. */
    int limitOf(String accountId) {
        return accountLimits.getOrDefault(accountId, perAccountPerMinute);
    }
}
