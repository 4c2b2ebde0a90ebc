package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** An account's current place and state, and the event it follows. */
public record Account(
        String accountId,
        String accountName,
        String serverId,
        AccountState state,
        String connectionId,
        String qrCode,
        String qrId,
        String reason,
        String requestId,
        String operationId,
        String requestedBy,
        int attempt,
        Instant updatedAt,
        List<String> answeredRequests,
        String lastEventId) {

    private static final Set<AccountState> IN_PROGRESS =
            Set.of(AccountState.PENDING, AccountState.CONNECTING, AccountState.QR_REQUIRED, AccountState.MIGRATING);

    /** The state an event alone tells of its account (another instance's event, without what came before it). */
    public static Account of(ConnectionEvent event) {
        return AccountFold.next(null, event, serverId -> serverId);
    }

    /** Whether the account has (or is getting) a session on its server. */
    public boolean active() {
        return state != AccountState.DISCONNECTED && state != AccountState.FAILED;
    }

    /** Whether it takes a seat on its server that the server's report may not show yet (PENDING to MIGRATING). */
    public boolean inProgress() {
        return serverId != null && IN_PROGRESS.contains(state);
    }
}
