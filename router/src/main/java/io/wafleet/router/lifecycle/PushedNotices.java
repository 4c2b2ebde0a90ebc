package io.wafleet.router.lifecycle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wafleet.avro.ServerNotice;
import io.wafleet.router.webhooks.WebhookSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the servers' notices have told this router so far: when each server last sent one (its events are arriving
 * while that is recent), and per account the last few notice ids and the newest server time, so a notice delivered
 * twice, or one older than what was seen (deliveries overtake each other), is not applied again.
 */
final class PushedNotices {

    private static final int IDS_KEPT = 16;

    /** An account's notices seen: ids, newest first; the newest server time. */
    private static final class Seen {
        final Deque<String> ids = new ArrayDeque<>();
        Instant newest;
        String lastServer;
        Instant lastReceived;
    }

    private final WebhookSettings settings;
    private final Clock clock;
    private final Map<String, Instant> lastByServer = new ConcurrentHashMap<>();
    private final Cache<String, Seen> byAccount = Caffeine.newBuilder()
            .maximumSize(500_000)
            .expireAfterAccess(Duration.ofMinutes(30))
            .build();

    PushedNotices(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Takes a notice in; true when it is news for its account (not seen before, not older than the newest). */
    boolean fresh(ServerNotice notice) {
        lastByServer.put(notice.getServerId(), clock.instant());
        if (notice.getAccountId() == null) {
            return true;
        }
        Seen seen = byAccount.get(notice.getAccountId(), id -> new Seen());
        synchronized (seen) {
            if (seen.ids.contains(notice.getNoticeId())) {
                return false;
            }
            Instant at = notice.getServerTime();
            if (at != null && seen.newest != null && at.isBefore(seen.newest)) {
                return false;
            }
            seen.ids.addFirst(notice.getNoticeId());
            if (seen.ids.size() > IDS_KEPT) {
                seen.ids.removeLast();
            }
            if (at != null) {
                seen.newest = at;
            }
            seen.lastServer = notice.getServerId();
            seen.lastReceived = clock.instant();
            return true;
        }
    }

    /**
     * Whether the account had a notice from the server within {@code pollWhileEvents}: a watch that starts after its
     * session's first events (a server can send them before it answers the call that started the session) polls at
     * once.
     */
    boolean heardLately(String accountId, String serverId) {
        Seen seen = byAccount.getIfPresent(accountId);
        if (seen == null) {
            return false;
        }
        synchronized (seen) {
            return serverId.equals(seen.lastServer)
                    && seen.lastReceived.isAfter(clock.instant().minus(settings.pollWhileEvents()));
        }
    }

    /**
     * How long until a waiting session's next poll: {@code pollWhileEvents} once the session has had a notice and its
     * server's notices keep arriving, else the status poll interval (polling takes over when they stop).
     */
    Duration pollDelay(String serverId, boolean sessionNotified, Duration statusPollInterval) {
        if (!sessionNotified) {
            return statusPollInterval;
        }
        Instant last = lastByServer.get(serverId);
        boolean arriving = last != null && clock.instant().isBefore(last.plus(settings.eventsFreshFor()));
        return arriving && settings.pollWhileEvents().compareTo(statusPollInterval) > 0
                ? settings.pollWhileEvents()
                : statusPollInterval;
    }
}
