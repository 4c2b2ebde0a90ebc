package io.wafleet.client;

import io.wafleet.avro.AccountState;

/**
 * An account's session on a server, normalised across dialects.
 *
 * @param accountId the account (the session or instance name on WAHA and Evolution)
 * @param state our state
 * @param connectionId the server's id for the connection, when it gives one
 * @param qrCode the QR to scan as a {@code data:image/png;base64,} URL, while the state is QR_REQUIRED
 * @param serverStatus the status as the server spelled it
 */
public record SessionInfo(
        String accountId, AccountState state, String connectionId, String qrCode, String serverStatus) {}
