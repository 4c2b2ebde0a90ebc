package io.wafleet.router.api;

import io.wafleet.avro.AccountState;
import io.wafleet.router.accounts.Account;
import java.time.Instant;
import java.util.Locale;

/** An account as the API shows it; {@code success} and lower-case {@code status} as in the seed's contract. */
record AccountView(
        boolean success,
        String accountId,
        String accountName,
        String serverId,
        String state,
        String status,
        String connectionId,
        String qrCode,
        String reason,
        String requestId,
        String operationId,
        int attempt,
        Instant updatedAt) {

    static AccountView of(Account account) {
        return new AccountView(
                account.state() != AccountState.FAILED,
                account.accountId(),
                account.accountName(),
                account.serverId(),
                account.state().name(),
                account.state().name().toLowerCase(Locale.ROOT),
                account.connectionId(),
                account.qrCode(),
                account.reason(),
                account.requestId(),
                account.operationId(),
                account.attempt(),
                account.updatedAt());
    }
}
