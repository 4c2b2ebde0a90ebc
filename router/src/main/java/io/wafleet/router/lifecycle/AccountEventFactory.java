package io.wafleet.router.lifecycle;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.QrIds;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Makes each step of an account flow a ConnectionEvent — a new event id, the request's context, the state the
 * account leaves (from the registry) and the time — and sends it.
 */
final class AccountEventFactory implements AccountEventSink {

    private final AccountRegistry registry;
    private final Function<ConnectionEvent, CompletableFuture<Void>> send;
    private final Clock clock;

    /** @param send publishes an event, completing once the broker has it (the router's {@code Publisher#event}) */
    AccountEventFactory(
            AccountRegistry registry, Function<ConnectionEvent, CompletableFuture<Void>> send, Clock clock) {
        this.registry = registry;
        this.send = send;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Void> publish(
            RequestContext ctx,
            String serverId,
            AccountState state,
            String connectionId,
            String qrCode,
            String reason,
            int attempt) {
        Account before = registry.account(ctx.accountId());
        return send.apply(new ConnectionEvent(
                UUID.randomUUID().toString(),
                ctx.requestId(),
                ctx.operationId(),
                ctx.accountId(),
                ctx.accountName(),
                serverId,
                state,
                before == null ? null : before.state(),
                connectionId,
                qrCode,
                reason,
                attempt,
                clock.instant(),
                ctx.requestedBy(),
                qrCode == null ? null : QrIds.of(qrCode)));
    }
}
