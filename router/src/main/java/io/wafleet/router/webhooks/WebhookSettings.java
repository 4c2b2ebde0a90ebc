package io.wafleet.router.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The servers' webhooks ({@code wafleet.router.webhooks.*}).
 *
 * @param enabled whether sessions and instances wafleet creates are asked to send their events here, and the
 *     receiver takes them ({@code WAFLEET_ROUTER_WEBHOOKS_ENABLED}, default true); off, polling alone follows them
 * @param receiverUrl the base URL the servers reach a router at ({@code WAFLEET_ROUTER_WEBHOOKS_RECEIVERURL}; by
 *     default the router's advertised URL); each server is given {@code <receiverUrl>/api/v1/webhooks/<serverId>}
 * @param pollWhileEvents how often a waiting session is polled while its server's events arrive (30 s), instead of
 *     the status poll interval
 * @param eventsFreshFor how long after a server's last event its events count as arriving (60 s): after that, its
 *     sessions are polled at the status poll interval again
 * @param massFailureCount this many sessions of one server failing or dropping within {@code massFailureWindow} is
 *     a server event and a failed PASSIVE check (5)
 * @param massFailureWindow see {@code massFailureCount} (1 min)
 * @param evolutionTopics a pattern of the topics Evolution servers write their own Kafka events to, read into the
 *     same notices ({@code WAFLEET_ROUTER_WEBHOOKS_EVOLUTIONTOPICS}, e.g. {@code evolution\..*}; none by default)
 */
@ConfigurationProperties("wafleet.router.webhooks")
public record WebhookSettings(
        Boolean enabled,
        String receiverUrl,
        Duration pollWhileEvents,
        Duration eventsFreshFor,
        int massFailureCount,
        Duration massFailureWindow,
        String evolutionTopics) {

    public WebhookSettings {
        enabled = enabled == null || enabled;
        receiverUrl = receiverUrl == null || receiverUrl.isBlank() ? null : receiverUrl.replaceAll("/+$", "");
        pollWhileEvents = pollWhileEvents == null ? Duration.ofSeconds(15) : pollWhileEvents;
        eventsFreshFor = eventsFreshFor == null ? Duration.ofSeconds(60) : eventsFreshFor;
        massFailureCount = massFailureCount <= 0 ? 5 : massFailureCount;
        massFailureWindow = massFailureWindow == null ? Duration.ofMinutes(1) : massFailureWindow;
        evolutionTopics = evolutionTopics == null || evolutionTopics.isBlank() ? null : evolutionTopics;
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(null, null, null, null, 0, null, null);
    }
}
