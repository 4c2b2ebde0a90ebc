package io.wafleet.client;

import java.time.Duration;

/**
 * What a server answered to sending a message: sent, with the server's id of it, or refused, classified so the caller
 * knows whether trying again could send it twice. Send futures never complete exceptionally.
 */
public sealed interface SendResult {

    Duration latency();

    /** The server took the message; {@code serverMessageId} is how its acknowledgements name it. */
    record Sent(String serverMessageId, Duration latency) implements SendResult {}

    /** The message did not go out (or may have: {@link Refusal#OUTCOME_UNKNOWN}). */
    record Refused(Refusal refusal, Integer httpStatus, String reason, Duration latency) implements SendResult {}

    /** Why a send did not succeed. */
    enum Refusal {
        /** The account's session is not working on the server (not started, waiting for a scan, logged out). */
        NOT_CONNECTED,
        /** The server or WhatsApp refused this message (not a WhatsApp number, empty text, the send failed). */
        REJECTED,
        /** The server answered too many requests: nothing was sent, the same message may be tried later. */
        RATE_LIMITED,
        /** The request never reached the server (refused, unresolved, TLS, connect timeout): safe to try again. */
        NOT_SENT,
        /** The request went out and no usable answer came back: it may have been sent, so it is not tried again. */
        OUTCOME_UNKNOWN
    }
}
