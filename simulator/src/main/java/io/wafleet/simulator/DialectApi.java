package io.wafleet.simulator;

/** One WhatsApp server HTTP API, answering requests from its server's state. */
abstract class DialectApi {

    protected final SimulatedServer server;

    DialectApi(SimulatedServer server) {
        this.server = server;
    }

    /** The header that carries the API key in this dialect. */
    abstract String apiKeyHeader();

    /** Whether this request needs the API key (WAHA Core checks none; Evolution's welcome page is open). */
    boolean checksKey(Request request) {
        return true;
    }

    /** The dialect's answer to a missing or wrong API key. */
    abstract Reply unauthorized();

    /** The answer to a request that passed authentication and fault injection. */
    abstract Reply handle(Request request);

    /** The webhooks a sent message's acknowledgement sends (2 delivered, 3 read), as {@link #webhooks}. */
    java.util.List<WebhookOut.Outgoing> ackWebhooks(
            Session session, String messageId, String chatId, int ack, java.time.Instant at) {
        return java.util.List.of();
    }

    /** The webhooks a session's change sends (none unless the dialect has them and the session asked for them). */
    java.util.List<WebhookOut.Outgoing> webhooks(
            Session session, Session.State from, Session.State to, java.time.Instant at) {
        return java.util.List.of();
    }
}
