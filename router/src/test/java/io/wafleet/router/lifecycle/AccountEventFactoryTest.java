package io.wafleet.router.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.router.accounts.AccountRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A flow's step as the event the audit and every reader see. */
class AccountEventFactoryTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final RequestContext CTX = new RequestContext("req-1", "op-1", "ops@example.com", "acct-1", "Acct");

    private final AccountRegistry registry = new AccountRegistry();
    private final List<ConnectionEvent> sent = new CopyOnWriteArrayList<>();
    private final AccountEventFactory events = new AccountEventFactory(
            registry,
            event -> {
                sent.add(event);
                return CompletableFuture.completedFuture(null);
            },
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aStepCarriesItsRequestItsStateTheStateItLeavesAndTheTime() {
        events.publish(CTX, "srv-1", AccountState.PENDING, null, null, null, 1).join();
        registry.applyOwn(sent.get(0));
        events.publish(CTX, "srv-1", AccountState.QR_REQUIRED, "conn-1", "qr-1", null, 1)
                .join();

        assertThat(sent).hasSize(2);
        ConnectionEvent qr = sent.get(1);
        assertThat(qr.getRequestId()).isEqualTo("req-1");
        assertThat(qr.getOperationId()).isEqualTo("op-1");
        assertThat(qr.getRequestedBy()).isEqualTo("ops@example.com");
        assertThat(qr.getAccountId()).isEqualTo("acct-1");
        assertThat(qr.getAccountName()).isEqualTo("Acct");
        assertThat(qr.getServerId()).isEqualTo("srv-1");
        assertThat(qr.getState()).isEqualTo(AccountState.QR_REQUIRED);
        assertThat(qr.getPreviousState()).isEqualTo(AccountState.PENDING);
        assertThat(qr.getConnectionId()).isEqualTo("conn-1");
        assertThat(qr.getQrCode())
                .as("the image, for the state; the publisher leaves it off the topic")
                .isEqualTo("qr-1");
        assertThat(qr.getQrId())
                .isEqualTo(io.wafleet.router.accounts.QrIds.of("qr-1"))
                .startsWith("qr-");
        assertThat(qr.getAttempt()).isEqualTo(1);
        assertThat(qr.getOccurredAt()).isEqualTo(NOW);
        assertThat(sent.get(0).getPreviousState()).isNull();
        assertThat(sent.get(0).getEventId()).isNotEqualTo(qr.getEventId());
    }
}
