package io.wafleet.client;

import io.wafleet.avro.HealthReport;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What wafleet asks of one WhatsApp server, whatever its dialect. Every future completes normally, with the value
 * or a classified {@link CallResult.Failed}.
 */
public interface ServerClient {

    ServerEndpoint endpoint();

    /** The server's health, in the seed's /api/health shape. */
    CompletableFuture<CallResult<HealthReport>> health();

    /** The server's stats; empty for dialects that report none. */
    CompletableFuture<CallResult<Optional<StatsReport>>> stats();

    /** Starts a session for the account; usually answers QR_REQUIRED with the QR, or CONNECTING. */
    CompletableFuture<CallResult<SessionInfo>> connect(String accountId, String accountName);

    /** A fresh QR for an account waiting to be scanned. */
    CompletableFuture<CallResult<SessionInfo>> refreshQr(String accountId);

    /** The account's session now (with its QR while it waits for a scan). */
    CompletableFuture<CallResult<SessionInfo>> status(String accountId);

    /** Logs the account out and removes its session; an account the server does not know is disconnected too. */
    CompletableFuture<CallResult<SessionInfo>> disconnect(String accountId);

    /**
     * Sends a text from the account's session to the recipient (digits of an international number, or a chat id).
     * Completes normally, with the server's id of the message or why it was not sent ({@link SendResult.Refusal}).
     */
    CompletableFuture<SendResult> send(String accountId, String recipient, String text);
}
