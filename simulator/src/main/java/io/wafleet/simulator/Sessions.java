package io.wafleet.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The accounts of one simulated server, with its capacity. */
final class Sessions {

    /** Why a session could not be created. */
    static final class CapacityExceeded extends RuntimeException {
        CapacityExceeded(int capacity) {
            super("capacity of " + capacity + " accounts exhausted", null, false, false);
        }
    }

    private final Map<String, Session> byAccount = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int capacity;
    private final Duration scanDelay;

    Sessions(Clock clock, int capacity, Duration scanDelay) {
        this.clock = clock;
        this.capacity = capacity;
        this.scanDelay = scanDelay;
    }

    /** The account's session, created (stopped) when new; refused when the server is full. */
    synchronized Session getOrCreate(String accountId, String name) {
        Session existing = byAccount.get(accountId);
        if (existing != null) {
            return existing;
        }
        if (active() >= capacity) {
            throw new CapacityExceeded(capacity);
        }
        Session session = new Session(
                accountId, name, "conn_" + UUID.randomUUID().toString().substring(0, 12), clock.instant());
        byAccount.put(accountId, session);
        return session;
    }

    Optional<Session> find(String accountId) {
        return Optional.ofNullable(byAccount.get(accountId));
    }

    Optional<Session> remove(String accountId) {
        return Optional.ofNullable(byAccount.remove(accountId));
    }

    List<Session> all() {
        return List.copyOf(byAccount.values());
    }

    Session.State stateOf(Session session) {
        return session.state(clock, scanDelay);
    }

    long count(Session.State state) {
        return byAccount.values().stream().filter(s -> stateOf(s) == state).count();
    }

    /** Sessions that take a seat: all but stopped and failed ones. */
    long active() {
        return byAccount.values().stream()
                .map(this::stateOf)
                .filter(state -> state != Session.State.STOPPED && state != Session.State.FAILED)
                .count();
    }
}
