package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.Selector;
import io.wafleet.router.select.ServerLoads;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where each account is and in what state. Filled from wa.account-state (each account's current state, written by
 * the router that owns the account's request partition) and from this instance's own events as the broker takes them;
 * an upgrade folds wa.connection-events ({@link #applyRead}). Answers the selector's two questions: which server an
 * account already lives on (stickiness: every state but FAILED keeps it there, since its WhatsApp session stays on
 * that server), and how many accounts each server has taken that its health report cannot count yet (in PENDING,
 * CONNECTING, QR_REQUIRED or MIGRATING). Remembers the request ids each account's answers carried, so a repeated
 * request is answered once.
 *
 * <p>The instance that handles an account applies its own events once the broker has them ({@link #applyOwn}), and
 * each exactly once whether that comes before or after it reads their state records back ({@link #applyState}),
 * never rolled back by an older state read after them ({@link OwnEvents}).
 */
public final class AccountRegistry implements Selector.Assignments, Load {

    static final int REQUEST_IDS_KEPT = AccountFold.REQUEST_IDS_KEPT;

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    /** Server ids, one instance each: every account refers to one, and there are few servers and many accounts. */
    private final Map<String, String> serverIds = new ConcurrentHashMap<>();

    /** Per server: accounts in progress and seats reserved by own events not applied yet. */
    private final ServerLoads loads;

    private final AccountIndex index = new AccountIndex();
    /** Own events in flight, the seat each reserved, and which way (acknowledgement or read-back) applies each. */
    private final OwnEvents own = new OwnEvents();
    /** The state each account will have after the own events sent for it, while they are not applied yet. */
    private final Map<String, Account> sentStates = new ConcurrentHashMap<>();

    private final List<Consumer<Account>> stateListeners = new CopyOnWriteArrayList<>();
    /** Which accounts this registry keeps: those of the partitions whose states it reads. */
    private volatile Predicate<String> held = accountId -> true;

    /** A registry with counters of its own. */
    public AccountRegistry() {
        this(new ServerLoads());
    }

    /** A registry that keeps its per-server counts in {@code loads} (which fleet snapshots resolve once per server). */
    public AccountRegistry(ServerLoads loads) {
        this.loads = loads;
    }

    /** Its per-server counters, for {@link io.wafleet.router.select.Fleet#of(Collection, ServerLoads)}. */
    public ServerLoads loads() {
        return loads;
    }

    /**
     * Notes an event this instance is about to publish and returns the account's state record after it, to write with
     * it: the event is applied once, by acknowledgement or by read-back. An account it puts in progress on a server
     * counts in {@link #pending} from now on, so that selection meanwhile does not give the same seat twice.
     */
    public AccountStateRecord expectOwn(ConnectionEvent event) {
        Account after = sentStates.compute(
                event.getAccountId(),
                (id, sent) -> AccountFold.next(sent != null ? sent : accounts.get(id), event, this::serverId));
        String seat = after.inProgress() ? after.serverId() : "";
        if (!seat.isEmpty()) {
            loads.cell(seat).addReserved(1);
        }
        own.sent(event.getEventId(), seat);
        return AccountFold.record(after);
    }

    /**
     * Applies an event this instance published, once the broker has it; unless its state was read back (and applied)
     * first. A tool that publishes nothing may call it alone.
     */
    public void applyOwn(ConnectionEvent event) {
        String accountId = event.getAccountId();
        synchronized (this) {
            if (own.acknowledged(event.getEventId(), accountId, held.test(accountId))) {
                apply(accountId, before -> AccountFold.next(before, event, this::serverId));
            }
        }
        release(accountId, event.getEventId());
    }

    /** An event this instance could not publish: forgotten (applied all the same if its state was read back). */
    public void abandonOwn(ConnectionEvent event) {
        release(event.getAccountId(), event.getEventId());
        own.abandoned(event.getEventId());
    }

    /**
     * Applies a state read from wa.account-state: another instance's, or one of this instance's own not applied yet
     * (an own state applied already is skipped, and so is any state of the account before it on the topic).
     */
    public void applyState(AccountStateRecord record) {
        String eventId = record.getLastEventId();
        String accountId = record.getAccountId();
        synchronized (this) {
            if (own.readBack(eventId, accountId)) {
                apply(accountId, before -> AccountFold.of(record, this::serverId));
            }
        }
        release(accountId, eventId);
    }

    /** Applies an event read from wa.connection-events, folded onto the account's state (an upgrade, a tool). */
    public void applyRead(ConnectionEvent event) {
        apply(event.getAccountId(), before -> AccountFold.next(before, event, this::serverId));
    }

    /** The event is sent no more: the seat it reserved (now counted by its state, if applied) is given back. */
    private void release(String accountId, String eventId) {
        String seat = own.released(eventId);
        if (seat != null && !seat.isEmpty()) {
            loads.cell(seat).addReserved(-1);
        }
        sentStates.computeIfPresent(accountId, (id, sent) -> sent.lastEventId().equals(eventId) ? null : sent);
    }

    /** Called with every account's new state as it is applied, own or read (on the applying thread: keep it short). */
    public void onState(Consumer<Account> listener) {
        stateListeners.add(listener);
    }

    /** Whether the account's state is kept here (its partition's states are read here). */
    public boolean holds(String accountId) {
        return held.test(accountId);
    }

    /** Keeps from now on only the accounts {@code held} accepts (the partitions whose states are read here). */
    public void holdOnly(Predicate<String> held) {
        this.held = held;
    }

    /**
     * Forgets every account {@code gone} accepts (a partition given up: its new owner holds them now) and returns how
     * many were forgotten. Their events still under way are not applied when they come.
     */
    public synchronized int forget(Predicate<String> gone) {
        int forgotten = 0;
        for (Account account : List.copyOf(accounts.values())) {
            if (gone.test(account.accountId())) {
                accounts.remove(account.accountId());
                count(account, -1);
                index.changed(account, null);
                forgotten++;
            }
        }
        own.forget(gone);
        return forgotten;
    }

    private void apply(String accountId, UnaryOperator<Account> change) {
        Account after;
        synchronized (this) {
            if (!held.test(accountId)) {
                return; // its partition was given up (or is not read here)
            }
            Account before = accounts.get(accountId);
            after = change.apply(before);
            accounts.put(accountId, after);
            count(before, -1);
            count(after, +1);
            index.changed(before, after);
        }
        for (Consumer<Account> listener : stateListeners) {
            listener.accept(after);
        }
    }

    public Account account(String accountId) {
        return accounts.get(accountId);
    }

    /** Every account known, in no order. */
    public Collection<Account> accounts() {
        return accounts.values();
    }

    /** The accounts that have or are getting a session on any of these servers, in one pass over the registry. */
    public List<Account> activeOn(Set<String> serverIds) {
        return accounts.values().stream()
                .filter(account ->
                        account.active() && account.serverId() != null && serverIds.contains(account.serverId()))
                .toList();
    }

    /** How many accounts have or are getting a session on the server: {@code activeOn(serverId).size()}, kept. */
    public int activeCount(String serverId) {
        return index.active(serverId);
    }

    public int size() {
        return accounts.size();
    }

    /** Up to {@code limit} accounts after the id {@code after} (null: the first), on a server and in a state (null: any). */
    public AccountIndex.Page page(String after, String serverId, AccountState state, int limit) {
        return index.page(after, serverId, state, limit, accounts::get);
    }

    /** How many accounts are on the server (null: any) in the state (null: any). */
    public int total(String serverId, AccountState state) {
        return index.total(serverId, state);
    }

    /** Whether a request with this id was already answered for the account. */
    public boolean answered(String accountId, String requestId) {
        Account account = accounts.get(accountId);
        return account != null && account.answeredRequests().contains(requestId);
    }

    @Override
    public String serverOf(String accountId) {
        Account account = accounts.get(accountId);
        return account == null || account.state() == AccountState.FAILED ? null : account.serverId();
    }

    @Override
    public int pending(String serverId) {
        return loads.pending(serverId);
    }

    private void count(Account account, int delta) {
        if (account != null && account.inProgress()) {
            loads.cell(account.serverId()).addInProgress(delta);
        }
    }

    private String serverId(String serverId) {
        return serverId == null ? null : serverIds.computeIfAbsent(serverId, id -> id);
    }
}
