package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.Selector;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where each account is and in what state: the fold of its ConnectionEvents (wa.connection-events). Answers the
 * selector's two questions: which server an account already lives on (stickiness: every state but FAILED keeps it
 * there, since its WhatsApp session stays on that server), and how many accounts each server has taken that its
 * health report cannot count yet (in PENDING, CONNECTING, QR_REQUIRED or MIGRATING). Remembers each account's last
 * request ids, so a repeated request is answered once.
 */
public final class AccountRegistry implements Selector.Assignments, Load {

    static final int REQUEST_IDS_KEPT = 16;

    /** An account's current place and state. */
    public record Account(
            String accountId,
            String serverId,
            AccountState state,
            String connectionId,
            String qrCode,
            String reason,
            Instant updatedAt) {}

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Deque<String>> requestIds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    /** Applies one event; events of one account arrive in order (one partition). */
    public synchronized void apply(ConnectionEvent event) {
        Account before = accounts.get(event.getAccountId());
        Account after = new Account(
                event.getAccountId(),
                event.getServerId() != null ? event.getServerId() : before == null ? null : before.serverId(),
                event.getState(),
                event.getConnectionId() != null || before == null ? event.getConnectionId() : before.connectionId(),
                event.getState() == AccountState.QR_REQUIRED ? event.getQrCode() : null,
                event.getReason(),
                event.getOccurredAt());
        accounts.put(after.accountId(), after);
        count(before, -1);
        count(after, +1);
        if (event.getRequestId() != null) {
            remember(event.getAccountId(), event.getRequestId());
        }
    }

    public Account account(String accountId) {
        return accounts.get(accountId);
    }

    /** Whether a request with this id was already handled for the account. */
    public boolean seen(String accountId, String requestId) {
        Deque<String> ids = requestIds.get(accountId);
        if (ids == null) {
            return false;
        }
        synchronized (ids) {
            return ids.contains(requestId);
        }
    }

    @Override
    public String serverOf(String accountId) {
        Account account = accounts.get(accountId);
        return account == null || account.state() == AccountState.FAILED ? null : account.serverId();
    }

    @Override
    public int pending(String serverId) {
        AtomicInteger count = inProgress.get(serverId);
        return count == null ? 0 : count.get();
    }

    private void count(Account account, int delta) {
        if (account != null && account.serverId() != null && inProgress(account.state())) {
            inProgress
                    .computeIfAbsent(account.serverId(), id -> new AtomicInteger())
                    .addAndGet(delta);
        }
    }

    private static boolean inProgress(AccountState state) {
        return state == AccountState.PENDING
                || state == AccountState.CONNECTING
                || state == AccountState.QR_REQUIRED
                || state == AccountState.MIGRATING;
    }

    private void remember(String accountId, String requestId) {
        Deque<String> ids = requestIds.computeIfAbsent(accountId, id -> new ArrayDeque<>());
        synchronized (ids) {
            if (!ids.contains(requestId)) {
                ids.addLast(requestId);
                if (ids.size() > REQUEST_IDS_KEPT) {
                    ids.removeFirst();
                }
            }
        }
    }
}
