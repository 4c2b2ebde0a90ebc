package io.wafleet.router.messages;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wafleet.avro.MessageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The messages this router sent lately, by the server's id of each, so an acknowledgement (which names only that)
 * finds its message; each remembers the furthest status reported, so a repeated or late acknowledgement reports
 * nothing. Filled by sends and by the progress of the accounts taken over.
 */
final class SentMessages {

    /** A sent message: its ids, where and when it went, and the furthest status reported. */
    static final class Sent {
        final String accountId;
        final String messageId;
        final String serverId;
        final String recipient;
        final Instant postedAt;
        final Map<String, String> metadata;
        MessageStatus furthest = MessageStatus.SENT;

        Sent(
                String accountId,
                String messageId,
                String serverId,
                String recipient,
                Instant postedAt,
                Map<String, String> metadata) {
            this.accountId = accountId;
            this.messageId = messageId;
            this.serverId = serverId;
            this.recipient = recipient;
            this.postedAt = postedAt;
            this.metadata = metadata;
        }
    }

    private final Cache<String, Sent> byServerId = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterWrite(Duration.ofDays(7))
            .build();

    void sent(String serverMessageId, Sent sent) {
        byServerId.put(serverMessageId, sent);
    }

    Sent find(String serverMessageId) {
        return byServerId.getIfPresent(serverMessageId);
    }

    /** Forgets the messages of the accounts {@code gone} says this router no longer owns. */
    void forget(java.util.function.Predicate<String> gone) {
        byServerId.asMap().values().removeIf(sent -> gone.test(sent.accountId));
    }
}
