package io.wafleet.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One WhatsApp account's session on a simulated server. It starts, waits for its QR to be scanned, and becomes
 * connected after the server's scan delay or on a control call; states advance when read, so no timer is needed.
 */
final class Session {

    /** The session states, in WAHA's words; each dialect renders them its own way. */
    enum State {
        STOPPED,
        STARTING,
        SCAN_QR_CODE,
        WORKING,
        FAILED
    }

    /** How long a started session takes to show its QR. */
    static final Duration START_DELAY = Duration.ofMillis(50);

    private final String accountId;
    private final String name;
    private final String connectionId;
    private final Instant createdAt;
    private State state;
    private Instant stateSince;
    private Instant connectedAt;
    private int qrCount;

    Session(String accountId, String name, String connectionId, Instant now) {
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
            move(State.SCAN_QR_CODE, now);
            qrCount++;
        }
    }

    synchronized void stop(Instant now) {
        move(State.STOPPED, now);
        connectedAt = null;
    }

    /** The simulated scan: a session waiting for its QR becomes connected. */
    synchronized boolean scan(Instant now) {
        advance(now, null);
        if (state != State.SCAN_QR_CODE) {
            return false;
        }
        move(State.WORKING, now);
        connectedAt = now;
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
        if (state == State.STARTING && !now.isBefore(stateSince.plus(START_DELAY))) {
            move(State.SCAN_QR_CODE, stateSince.plus(START_DELAY));
            qrCount++;
        }
        if (state == State.SCAN_QR_CODE && scanDelay != null && !now.isBefore(stateSince.plus(scanDelay))) {
            Instant scannedAt = stateSince.plus(scanDelay);
            move(State.WORKING, scannedAt);
            connectedAt = scannedAt;
        }
    }

    private void move(State next, Instant at) {
        state = next;
        stateSince = at;
    }
}
