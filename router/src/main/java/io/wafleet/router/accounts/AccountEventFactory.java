package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
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
                qrCode == null ? null : qrId(qrCode)));
    }

    /**
     * A QR's id: a digest of its image, so the same QR shown again (republished, or read back) has the same id. Events
     * on the topic carry only this; the image stays with the account's state.
     */
    static String qrId(String image) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
            return "qr-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
