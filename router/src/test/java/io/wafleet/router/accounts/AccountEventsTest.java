package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The events' tail hands every event it reads to its listeners (the dashboard's feed), in order. */
class AccountEventsTest {

    @Test
    void listenersHearTheEventsAnnouncedToThem() {
        AccountEvents events = new AccountEvents(
                new DefaultKafkaConsumerFactory<>(Map.of()), Topics.defaults().connectionEvents());
        List<AccountState> seen = new ArrayList<>();
        events.onEvent(e -> seen.add(e.getState()));

        events.announce(event(AccountState.PENDING));
        events.announce(event(AccountState.CONNECTED));

        assertThat(seen).containsExactly(AccountState.PENDING, AccountState.CONNECTED);
    }

    private static ConnectionEvent event(AccountState state) {
        return ConnectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRequestId("req-1")
                .setAccountId("acc-1")
                .setServerId("srv-a")
                .setState(state)
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }
}
