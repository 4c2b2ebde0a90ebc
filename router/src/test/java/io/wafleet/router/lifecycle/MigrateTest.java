package io.wafleet.router.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.ErrorKind;
import io.wafleet.router.select.PoolRule;
import io.wafleet.router.select.PoolRules;
import io.wafleet.router.select.Selector;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** MIGRATE against fake server clients, through the connect it hands over to. */
class MigrateTest {

    private final ConnectTest base = new ConnectTest();
    private final Migrate migrate = new Migrate(
            () -> base.fleet,
            () -> PoolRules.only(PoolRule.DEFAULT),
            new Selector(),
            base.registry,
            base.servers::get,
            (serverId, failure) -> base.failedCalls.add(serverId + " " + failure.kind()),
            base.events,
            base.connect);

    private void connectedOn(String serverId) {
        base.registry.applyRead(ConnectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAccountId("acct-1")
                .setServerId(serverId)
                .setState(AccountState.CONNECTED)
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build());
    }

    private static ConnectionRequest to(String serverId) {
        return ConnectionRequest.newBuilder()
                .setRequestId("r2")
                .setAccountId("acct-1")
                .setAction(ConnectionAction.MIGRATE)
                .setServerId(serverId)
                .build();
    }

    @Test
    void aMigrationEndsTheSessionOnTheSourceAndConnectsOnTheTarget() {
        base.fleetOf(3);
        connectedOn("srv-1");

        migrate.migrate(ConnectTest.CTX, to("srv-3")).join();

        assertThat(base.servers.get("srv-1").calls).containsExactly("disconnect acct-1");
        assertThat(base.servers.get("srv-3").calls).containsExactly("connect acct-1");
        assertThat(base.published)
                .extracting(ConnectTest.Published::serverId, ConnectTest.Published::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("srv-3", AccountState.MIGRATING),
                        org.assertj.core.groups.Tuple.tuple("srv-3", AccountState.PENDING),
                        org.assertj.core.groups.Tuple.tuple("srv-3", AccountState.QR_REQUIRED));
        assertThat(base.published.get(0).reason()).isEqualTo("from srv-1");
    }

    @Test
    void withoutATargetOneIsSelectedInThePoolWithoutTheSource() {
        base.fleetOf(3);
        connectedOn("srv-1"); // srv-1 has the most room: it would be chosen if not excluded

        migrate.migrate(ConnectTest.CTX, to(null)).join();

        assertThat(base.published.get(0).serverId()).isEqualTo("srv-2");
        assertThat(base.servers.get("srv-1").calls).doesNotContain("connect acct-1");
    }

    @Test
    void anUnreachableSourceDoesNotStopTheMigration() {
        base.fleetOf(2);
        connectedOn("srv-1");
        base.servers.get("srv-1").disconnectAnswer = FakeServerClient.failure(ErrorKind.TIMEOUT, null);

        migrate.migrate(ConnectTest.CTX, to("srv-2")).join();

        assertThat(base.failedCalls).containsExactly("srv-1 TIMEOUT");
        assertThat(base.published)
                .last()
                .extracting(ConnectTest.Published::state)
                .isEqualTo(AccountState.QR_REQUIRED);
    }

    @Test
    void aTargetNotInTheHealthTableIsRefusedAndTheAccountStaysWhereItIs() {
        base.fleetOf(1);
        connectedOn("srv-1");

        migrate.migrate(ConnectTest.CTX, to("srv-9")).join();

        assertThat(base.published).singleElement().satisfies(event -> {
            assertThat(event.state()).isEqualTo(AccountState.CONNECTED);
            assertThat(event.serverId()).isEqualTo("srv-1");
            assertThat(event.reason()).isEqualTo("migration refused: server srv-9 is not in the health table");
        });
        assertThat(base.servers.get("srv-1").calls).isEmpty();
    }

    @Test
    void aMigrationToWhereTheAccountIsChangesNothing() {
        base.fleetOf(1);
        connectedOn("srv-1");

        migrate.migrate(ConnectTest.CTX, to("srv-1")).join();

        assertThat(base.published)
                .singleElement()
                .extracting(ConnectTest.Published::reason)
                .isEqualTo("already on srv-1");
    }
}
