package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

/**
 * The registry's accounts in account id order, and how many there are per server and state, kept as they change:
 * a listing pages from a cursor (the last id of the previous page) instead of sorting every account per call, and
 * its total is counted, not found by a pass. Moved by the registry under its lock; read without one.
 */
public final class AccountIndex {

    private static final int STATES = AccountState.values().length;
    /** The key of accounts without a server. */
    private static final String NO_SERVER = "";

    /** One page: the accounts, and the cursor of the next page (null when this is the last). */
    public record Page(List<Account> accounts, String next) {}

    private final NavigableSet<String> ids = new ConcurrentSkipListSet<>();
    private final Map<String, AtomicIntegerArray> byServer = new ConcurrentHashMap<>();
    private final AtomicIntegerArray byState = new AtomicIntegerArray(STATES);

    /** An account's state changed from {@code before} (null: new) to {@code after} (null: forgotten). */
    void changed(Account before, Account after) {
        if (before == null && after != null) {
            ids.add(after.accountId());
        } else if (before != null && after == null) {
            ids.remove(before.accountId());
        }
        count(before, -1);
        count(after, +1);
    }

    private void count(Account account, int delta) {
        if (account != null) {
            int state = account.state().ordinal();
            byState.addAndGet(state, delta);
            byServer.computeIfAbsent(server(account.serverId()), id -> new AtomicIntegerArray(STATES))
                    .addAndGet(state, delta);
        }
    }

    /** How many accounts have or are getting a session on the server: all but DISCONNECTED and FAILED ones. */
    int active(String server) {
        AtomicIntegerArray counts = byServer.get(server);
        return counts == null
                ? 0
                : total(server, null)
                        - counts.get(AccountState.DISCONNECTED.ordinal())
                        - counts.get(AccountState.FAILED.ordinal());
    }

    /** How many accounts are on {@code server} (null: any) in {@code state} (null: any). */
    int total(String server, AccountState state) {
        if (server == null) {
            return state == null ? ids.size() : byState.get(state.ordinal());
        }
        AtomicIntegerArray counts = byServer.get(server);
        if (counts == null) {
            return 0;
        }
        if (state != null) {
            return counts.get(state.ordinal());
        }
        int total = 0;
        for (int i = 0; i < STATES; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * Up to {@code limit} accounts after {@code after} (null: from the first) in id order, on {@code server} (null:
     * any) in {@code state} (null: any).
     */
    Page page(String after, String server, AccountState state, int limit, Function<String, Account> accounts) {
        List<Account> page = new ArrayList<>(Math.min(limit, 1024));
        if (total(server, state) == 0) {
            return new Page(page, null);
        }
        NavigableSet<String> from = after == null ? ids : ids.tailSet(after, false);
        for (String id : from) {
            Account account = accounts.apply(id);
            if (account != null
                    && (server == null || server.equals(account.serverId()))
                    && (state == null || state == account.state())) {
                page.add(account);
                if (page.size() == limit) {
                    return new Page(page, id.equals(ids.last()) ? null : id);
                }
            }
        }
        return new Page(page, null);
    }

    private static String server(String serverId) {
        return serverId == null ? NO_SERVER : serverId;
    }
}
