package io.wafleet.router.lifecycle;

import io.wafleet.avro.ServerConfig;
import io.wafleet.client.CallResult;
import io.wafleet.client.ServerClient;
import io.wafleet.client.ServerClients;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.Webhook;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.select.Outliers;
import io.wafleet.schemas.ApiKeyCipher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The client of each configured server, made from its wa.server-configs record (API key decrypted in memory only)
 * and made again when the config or its webhook changes; every call's outcome goes to {@link Outliers} ({@link ObservedClient}).
 */
public final class ServerCalls {

    private record Made(ServerConfig config, Webhook webhook, ServerClient client) {}

    private final FleetState state;
    private final ServerClients clients;
    private final ApiKeyCipher cipher;
    private final AccountSettings settings;
    private final Outliers outliers;
    private final Function<String, Webhook> webhooks;
    private final Map<String, Made> made = new ConcurrentHashMap<>();

    /** @param webhooks the webhook a server's new sessions are asked to send their events to, or null for none */
    public ServerCalls(
            FleetState state,
            ServerClients clients,
            ApiKeyCipher cipher,
            AccountSettings settings,
            Outliers outliers,
            Function<String, Webhook> webhooks) {
        this.state = state;
        this.webhooks = webhooks;
        this.clients = clients;
        this.cipher = cipher;
        this.settings = settings;
        this.outliers = outliers;
    }

    /** A failed call in a line: its kind, HTTP status if any, and message, for an event's reason. */
    static String describe(CallResult.Failed<?> failure) {
        return failure.kind() + (failure.httpStatus() == null ? "" : " " + failure.httpStatus()) + " "
                + failure.message();
    }

    /**
     * The client of a server.
     *
     * @throws ServerEndpoints.InvalidConfig when the server is not configured or its config cannot be used
     */
    public ServerClient client(String serverId) {
        ServerConfig config = state.config(serverId);
        if (config == null) {
            made.remove(serverId);
            throw new ServerEndpoints.InvalidConfig(
                    serverId, "the server is not configured (no wa.server-configs record)");
        }
        Made current = made.get(serverId);
        Webhook webhook = webhooks.apply(serverId);
        if (current != null && current.config() == config && java.util.Objects.equals(current.webhook(), webhook)) {
            return current.client();
        }
        ServerClient client = new ObservedClient(
                clients.forEndpoint(
                        ServerEndpoints.of(config, cipher, settings.connectionTimeout(), settings.requestTimeout()),
                        webhook),
                serverId,
                outliers);
        made.put(serverId, new Made(config, webhook, client));
        return client;
    }
}
