package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionEvent;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How an account's state follows from its events, and how it is written to and read from wa.account-state. One fold
 * for the three places that need it: the owner computing the state record it writes with an event, the owner applying
 * its own event, and an upgrade building the state from wa.connection-events.
 */
final class AccountFold {

    static final int REQUEST_IDS_KEPT = 16;

    /** States that answer a request: the events in between (PENDING, CONNECTING, MIGRATING) are steps. */
    private static final Set<AccountState> ANSWERS =
            Set.of(AccountState.QR_REQUIRED, AccountState.CONNECTED, AccountState.DISCONNECTED, AccountState.FAILED);

    private AccountFold() {}

    /** The account after {@code event}; {@code serverIds} gives the one shared instance of each server id. */
    static Account next(Account before, ConnectionEvent event, UnaryOperator<String> serverIds) {
        return new Account(
                event.getAccountId(),
                event.getAccountName() != null || before == null ? event.getAccountName() : before.accountName(),
                event.getServerId() != null || before == null
                        ? serverIds.apply(event.getServerId())
                        : before.serverId(),
                event.getState(),
                event.getConnectionId() != null || before == null ? event.getConnectionId() : before.connectionId(),
                event.getState() == AccountState.QR_REQUIRED ? event.getQrCode() : null,
                event.getState() == AccountState.QR_REQUIRED ? event.getQrId() : null,
                event.getReason(),
                event.getRequestId(),
                event.getOperationId(),
                event.getRequestedBy(),
                event.getAttempt(),
                event.getOccurredAt(),
                answered(before, event),
                event.getEventId());
    }

    /** The account as its record on wa.account-state. */
    static AccountStateRecord record(Account account) {
        return AccountStateRecord.newBuilder()
                .setAccountId(account.accountId())
                .setAccountName(account.accountName())
                .setServerId(account.serverId())
                .setState(account.state())
                .setConnectionId(account.connectionId())
                .setQrCode(account.qrCode())
                .setQrId(account.qrId())
                .setReason(account.reason())
                .setRequestId(account.requestId())
                .setOperationId(account.operationId())
                .setRequestedBy(account.requestedBy())
                .setAttempt(account.attempt())
                .setUpdatedAt(account.updatedAt())
                .setAnsweredRequests(account.answeredRequests())
                .setLastEventId(account.lastEventId())
                .build();
    }

    /** The account a record of wa.account-state holds. */
    static Account of(AccountStateRecord record, UnaryOperator<String> serverIds) {
        return new Account(
                record.getAccountId(),
                record.getAccountName(),
                serverIds.apply(record.getServerId()),
                record.getState(),
                record.getConnectionId(),
                record.getQrCode(),
                record.getQrId(),
                record.getReason(),
                record.getRequestId(),
                record.getOperationId(),
                record.getRequestedBy(),
                record.getAttempt(),
                record.getUpdatedAt(),
                List.copyOf(record.getAnsweredRequests()),
                record.getLastEventId());
    }

    /** The ids of the requests the account's last answers carried, the newest last, at most REQUEST_IDS_KEPT. */
    private static List<String> answered(Account before, ConnectionEvent event) {
        List<String> kept = before == null ? List.of() : before.answeredRequests();
        String requestId = event.getRequestId();
        if (requestId == null || !ANSWERS.contains(event.getState()) || kept.contains(requestId)) {
            return kept;
        }
        int from = Math.max(0, kept.size() - REQUEST_IDS_KEPT + 1);
        String[] ids = new String[kept.size() - from + 1];
        for (int i = from; i < kept.size(); i++) {
            ids[i - from] = kept.get(i);
        }
        ids[ids.length - 1] = requestId;
        return List.of(ids);
    }
}
