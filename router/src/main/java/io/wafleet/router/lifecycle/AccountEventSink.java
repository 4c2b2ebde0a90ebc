package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import java.util.concurrent.CompletableFuture;

/** Where the account flows put an account's new state: published as a ConnectionEvent, complete once on the broker. */
@FunctionalInterface
interface AccountEventSink {

    CompletableFuture<Void> publish(
            RequestContext ctx,
            String serverId,
            AccountState state,
            String connectionId,
            String qrCode,
            String reason,
            int attempt);
}
