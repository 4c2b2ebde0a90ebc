package io.wafleet.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One WhatsApp account's session on a simulated server. It starts, waits for its QR to be scanned, and becomes
 * connected after the server's scan delay or on a control call; states advance when read, so no timer is needed.
 */
final class Session {

    /**
     * The session states, in WAHA's words (devlikeapro/waha 2024.10.8 {@code src/structures/enums.dto.ts}); each
     * dialect renders them its own way. RECONNECTING: a connected session whose connection dropped and comes back with
     * its login, no QR (Evolution 2.3.6 {@code BaileysStartupService.connectionUpdate}: close with a code other than
     * loggedOut/forbidden reconnects).
     */
    enum State {
        STOPPED,
        STARTING,
        SCAN_QR_CODE,
        WORKING,
        FAILED,
        RECONNECTING
    }

    /** Told of every state a session enters (while the session is locked: it must only hand the news on). */
    interface Listener {
        Listener NONE = (session, from, to, at) -> {};

        void moved(Session session, State from, State to, Instant at);
    }

    /** How long a started session takes to show its QR. */
    static final Duration START_DELAY = Duration.ofMillis(50);

    /** How long a dropped connection takes to come back. */
    static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

    private final String accountId;
    private final String name;
    private final String connectionId;
    private final Instant createdAt;
    private State state;
    private Instant stateSince;
    private Instant connectedAt;
    private int qrCount;
    private State settled = State.STOPPED;
    private boolean loggedIn;
    private volatile Object config;
    private final Listener listener;

    Session(String accountId, String name, String connectionId, Instant now) {
        this(accountId, name, connectionId, now, Listener.NONE);
    }

    Session(String accountId, String name, String connectionId, Instant now, Listener listener) {
        this.listener = listener;
        this.accountId = accountId;
        this.name = name;
        this.connectionId = connectionId;
        this.createdAt = now;
        this.state = State.STOPPED;
        this.stateSince = now;
    }

    synchronized void start(Instant now) {
        if (state == State.STOPPED || state == State.FAILED) {
            move(State.STARTING, now);
        }
    }

    /** Skips the start delay: used by dialects whose connect call answers with the QR at once. */
    synchronized void startWithQr(Instant now) {
        if (state == State.STOPPED || state == State.FAILED || state == State.STARTING) {
            if (loggedIn) {
                move(State.WORKING, now);
                connectedAt = now;
                return;
            }
            qrCount++;
            move(State.SCAN_QR_CODE, now);
        }
    }

    /** Stops it; its login stays, so a start connects again without a QR. */
    synchronized void stop(Instant now) {
        move(State.STOPPED, now);
        connectedAt = null;
    }

    /** Stops it and forgets its login (WAHA's logout cleans the session's auth; Evolution's logs out of WhatsApp). */
    synchronized void logout(Instant now) {
        stop(now);
        loggedIn = false;
    }

    /** Whether it runs: neither stopped nor failed. */
    synchronized boolean running(Clock clock, Duration scanDelay) {
        State now = state(clock, scanDelay);
        return now != State.STOPPED && now != State.FAILED;
    }

    /** The connection of a connected session drops; it reconnects by itself after {@link #RECONNECT_DELAY}. */
    synchronized boolean drop(Instant now, Duration scanDelay) {
        advance(now, scanDelay);
        if (state != State.WORKING) {
            return false;
        }
        move(State.RECONNECTING, now);
        return true;
    }

    /**
     * The last of STOPPED, SCAN_QR_CODE and WORKING it was in: what Evolution v2 stores as the instance's
     * connectionStatus (close at creation, connecting once a QR was issued, open once connected; a reconnect leaves
     * it open).
     */
    synchronized State settled(Clock clock, Duration scanDelay) {
        advance(clock.instant(), scanDelay);
        return settled;
    }

    /** The session's config as its client gave it (WAHA's {@code config}), or null. */
    Object config() {
        return config;
    }

    void config(Object config) {
        this.config = config;
    }

    /** When it entered its current state. */
    synchronized Instant stateSince() {
        return stateSince;
    }

    /** The simulated scan: a session waiting for its QR becomes connected. */
    synchronized boolean scan(Instant now) {
        advance(now, null);
        if (state != State.SCAN_QR_CODE) {
            return false;
        }
        move(State.WORKING, now);
        connectedAt = now;
        loggedIn = true;
        return true;
    }

    /** The state now, after the start delay and the scan delay (null: no automatic scan) have done their work. */
    synchronized State state(Clock clock, Duration scanDelay) {
        advance(clock.instant(), scanDelay);
        return state;
    }

    /** The text its current QR encodes; a new one each time the QR is refreshed. */
    synchronized String qrText() {
        return "2@" + connectionId + "," + accountId + "," + qrCount;
    }

    synchronized void refreshQr() {
        qrCount++;
        if (state == State.SCAN_QR_CODE) {
            listener.moved(this, state, state, stateSince);
        }
    }

    /** How many QRs it has issued. */
    synchronized int qrCount() {
        return qrCount;
    }

    synchronized Instant connectedAt() {
        return connectedAt;
    }

    String accountId() {
        return accountId;
    }

    String name() {
        return name;
    }

    String connectionId() {
        return connectionId;
    }

    Instant createdAt() {
        return createdAt;
    }

    private void advance(Instant now, Duration scanDelay) {
        if (state == State.RECONNECTING && !now.isBefore(stateSince.plus(RECONNECT_DELAY))) {
            move(State.WORKING, stateSince.plus(RECONNECT_DELAY));
        }
        if (state == State.STARTING && !now.isBefore(stateSince.plus(START_DELAY))) {
            // A session with its login connects again without a QR.
            Instant at = stateSince.plus(START_DELAY);
            if (loggedIn) {
                move(State.WORKING, at);
                connectedAt = at;
                return;
            }
            qrCount++;
            move(State.SCAN_QR_CODE, at);
        }
        if (state == State.SCAN_QR_CODE && scanDelay != null && !now.isBefore(stateSince.plus(scanDelay))) {
            Instant scannedAt = stateSince.plus(scanDelay);
            move(State.WORKING, scannedAt);
            connectedAt = scannedAt;
            loggedIn = true;
        }
    }

    private void move(State next, Instant at) {
        State from = state;
        state = next;
        stateSince = at;
        if (next == State.STOPPED || next == State.SCAN_QR_CODE || next == State.WORKING) {
            settled = next;
        }
        listener.moved(this, from, next, at);
    }
}
