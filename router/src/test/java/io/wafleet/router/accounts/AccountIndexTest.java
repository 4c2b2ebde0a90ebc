package io.wafleet.router.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The registry's listing: pages in id order from a cursor, totals counted as accounts change. */
class AccountIndexTest {

    private final AccountRegistry registry = new AccountRegistry();

    @Test
    void pagesWalkEveryMatchingAccountOnceInIdOrder() {
        for (int i = 0; i < 25; i++) {
            state(
                    String.format("acc-%02d", i),
                    i % 2 == 0 ? "srv-a" : "srv-b",
                    i < 5 ? AccountState.QR_REQUIRED : AccountState.CONNECTED);
        }

        List<String> onA = new ArrayList<>();
        String after = null;
        do {
            AccountIndex.Page page = registry.page(after, "srv-a", null, 4);
            page.accounts().forEach(account -> onA.add(account.accountId()));
            after = page.next();
        } while (after != null);

        assertThat(onA).hasSize(13).isSorted().allMatch(id -> Integer.parseInt(id.substring(4)) % 2 == 0);
        assertThat(registry.total("srv-a", null)).isEqualTo(13);
        assertThat(registry.total(null, AccountState.QR_REQUIRED)).isEqualTo(5);
        assertThat(registry.total("srv-b", AccountState.QR_REQUIRED)).isEqualTo(2);
        assertThat(registry.page(null, null, AccountState.QR_REQUIRED, 10).accounts())
                .extracting(Account::accountId)
                .containsExactly("acc-00", "acc-01", "acc-02", "acc-03", "acc-04");
        assertThat(registry.page("acc-24", null, null, 10).accounts()).isEmpty();
        assertThat(registry.page(null, "srv-c", null, 10).accounts()).isEmpty();
    }

    @Test
    void totalsFollowStateChangesAndForgottenAccounts() {
        state("acc-1", "srv-a", AccountState.QR_REQUIRED);
        state("acc-1", "srv-b", AccountState.CONNECTED);
        state("acc-2", "srv-a", AccountState.CONNECTED);

        assertThat(registry.total("srv-a", null)).isEqualTo(1);
        assertThat(registry.total(null, AccountState.QR_REQUIRED)).isZero();
        assertThat(registry.total(null, null)).isEqualTo(2);

        registry.forget("acc-2"::equals);
        assertThat(registry.total("srv-a", null)).isZero();
        AccountIndex.Page all = registry.page(null, null, null, 1);
        assertThat(all.accounts()).extracting(Account::accountId).containsExactly("acc-1");
        assertThat(all.next()).as("the last page").isNull();
    }

    private void state(String accountId, String serverId, AccountState state) {
        registry.applyState(AccountStateRecord.newBuilder()
                .setAccountId(accountId)
                .setServerId(serverId)
                .setState(state)
                .setUpdatedAt(Instant.now())
                .setLastEventId(UUID.randomUUID().toString())
                .build());
    }
}
