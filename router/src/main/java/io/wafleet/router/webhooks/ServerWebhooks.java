package io.wafleet.router.webhooks;

import io.wafleet.client.Webhook;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The webhook each server is asked to send its sessions' events to: {@code <receiverUrl>/api/v1/webhooks/<serverId>}
 * with the server's secret; none while webhooks are off, no encryption key gives secrets, or the receiver's URL is
 * not known yet (it is once the API listens: the configured one, else the router's advertised URL).
 */
public final class ServerWebhooks {

    private final WebhookSettings settings;
    private final WebhookSecrets secrets;
    private volatile String receiverUrl;
    private final java.util.Map<String, Webhook> made = new java.util.concurrent.ConcurrentHashMap<>();

    public ServerWebhooks(WebhookSettings settings, WebhookSecrets secrets) {
        this.settings = settings;
        this.secrets = secrets;
        this.receiverUrl = settings.receiverUrl();
    }

    /** Once the API listens: its URL, unless one is configured. */
    public void listening(String apiUrl) {
        if (settings.receiverUrl() == null) {
            receiverUrl = apiUrl.replaceAll("/+$", "");
            made.clear();
        }
    }

    /** The server's webhook, or null for none. */
    public Webhook of(String serverId) {
        String base = receiverUrl;
        if (!settings.enabled() || base == null) {
            return null;
        }
        Webhook known = made.get(serverId);
        if (known != null && known.url().startsWith(base + "/")) {
            return known;
        }
        Webhook webhook = secrets.secret(serverId)
                .map(secret -> new Webhook(
                        base + "/api/v1/webhooks/" + URLEncoder.encode(serverId, StandardCharsets.UTF_8), secret))
                .orElse(null);
        if (webhook != null) {
            made.put(serverId, webhook);
        }
        return webhook;
    }
}
