package io.wafleet.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The sessions of one simulated server, by name, with its capacity (which only the seed's dialect enforces). */
final class Sessions {

    /** Why a session could not be created. */
    static final class CapacityExceeded extends RuntimeException {
        CapacityExceeded(int capacity) {
            super("capacity of " + capacity + " accounts exhausted", null, false, false);
        }
    }

    private final ConcurrentMap<String, Session> byName = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int capacity;
    private final Duration scanDelay;

    private volatile Session.Listener listener = Session.Listener.NONE;

    Sessions(Clock clock, int capacity, Duration scanDelay) {
        this.clock = clock;
        this.capacity = capacity;
        this.scanDelay = scanDelay;
    }

    /** Who is told of the state changes of the sessions made from now on. */
    void listener(Session.Listener listener) {
        this.listener = listener;
    }

    /** The seed's contract: the account's session, created (stopped) when new; refused when the server is full. */
    synchronized Session getOrCreate(String accountId, String name) {
        Session existing = byName.get(accountId);
        if (existing != null) {
            return existing;
        }
        // Only a server with at least `capacity` sessions can be full: the count of the others is never needed
        // (counting walks every session, which made a server of thousands of accounts slow to take one more).
        if (byName.size() >= capacity && active() >= capacity) {
            throw new CapacityExceeded(capacity);
        }
        return add(accountId, name);
    }

    /** A new stopped session; WAHA and Evolution set no limit of their own. */
    synchronized Session add(String name, String displayName) {
        Session session = new Session(
                name, displayName, "conn_" + UUID.randomUUID().toString().substring(0, 12), clock.instant(), listener);
        byName.put(name, session);
        return session;
    }

    Optional<Session> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Optional<Session> remove(String name) {
        return Optional.ofNullable(byName.remove(name));
    }

    List<Session> all() {
        return List.copyOf(byName.values());
    }

    Session.State stateOf(Session session) {
        return session.state(clock, scanDelay);
    }

    Session.State settledOf(Session session) {
        return session.settled(clock, scanDelay);
    }

    long count(Session.State state) {
        return byName.values().stream().filter(s -> stateOf(s) == state).count();
    }

    /** Sessions that take a seat: all but stopped and failed ones. */
    long active() {
        return byName.values().stream()
                .map(this::stateOf)
                .filter(state -> state != Session.State.STOPPED && state != Session.State.FAILED)
                .count();
    }
}
