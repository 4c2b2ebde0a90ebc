package io.wafleet.router.webhooks;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.EventLevel;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerNotice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a server's own notices say of the server: a start it reports (Evolution's {@code application.startup}), or
 * {@code massFailureCount} of its sessions failing or dropping within {@code massFailureWindow}, is a server event on
 * wa.server-events and a failed PASSIVE check on wa.health-checks (a signal the aggregator weighs with the probes'
 * checks; one alone does not take a server down). Counted per router instance, over the deliveries it receives.
 */
public final class ServerSignals {

    private final NoticeSender sender;
    private final WebhookSettings settings;
    private final String routerId;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public ServerSignals(NoticeSender sender, WebhookSettings settings, String routerId, Clock clock) {
        this.sender = sender;
        this.settings = settings;
        this.routerId = routerId;
        this.clock = clock;
    }

    public void observe(ServerNotice notice) {
        String server = notice.getServerId();
        if (notice.getKind() == NoticeKind.SERVER_STARTED) {
            raise(
                    server,
                    EventLevel.WARNING,
                    "SERVER_RESTARTED",
                    "the server reported a start (" + notice.getEvent() + "): its sessions start again",
                    notice);
            return;
        }
        AccountState state = notice.getState();
        if (state != AccountState.FAILED && state != AccountState.DISCONNECTED) {
            return;
        }
        Instant now = clock.instant();
        Deque<Instant> recent = failures.computeIfAbsent(server, id -> new ArrayDeque<>());
        boolean burst;
        synchronized (recent) {
            recent.addLast(now);
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(settings.massFailureWindow()))) {
                recent.removeFirst();
            }
            burst = recent.size() >= settings.massFailureCount();
            if (burst) {
                recent.clear();
            }
        }
        if (burst) {
            raise(
                    server,
                    EventLevel.ERROR,
                    "SESSIONS_FAILED",
                    settings.massFailureCount()
                            + " of its sessions failed or dropped within " + human(settings.massFailureWindow())
                            + " (last: " + notice.getReason() + ")",
                    notice);
        }
    }

    private void raise(String server, EventLevel level, String type, String message, ServerNotice notice) {
        Instant at = notice.getServerTime() != null ? notice.getServerTime() : notice.getReceivedAt();
        sender.send(
                sender.topics().serverEvents(),
                server,
                new ServerEvent(
                        UUID.randomUUID().toString(),
                        server,
                        null,
                        level,
                        type,
                        server + ": " + message,
                        Map.of("dialect", notice.getDialect().name(), "event", notice.getEvent()),
                        at,
                        "router",
                        null));
        sender.send(
                sender.topics().healthChecks(),
                server,
                new HealthCheck(
                        UUID.randomUUID().toString(),
                        server,
                        routerId,
                        CheckSource.PASSIVE,
                        clock.instant(),
                        0L,
                        false,
                        null,
                        ErrorKind.OTHER,
                        message,
                        1,
                        null));
    }

    private static String human(Duration window) {
        return window.toSeconds() % 60 == 0 ? window.toMinutes() + " min" : window.toSeconds() + " s";
    }
}
