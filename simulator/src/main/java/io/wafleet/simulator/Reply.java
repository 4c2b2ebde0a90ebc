package io.wafleet.simulator;

import java.nio.charset.StandardCharsets;

/**
 * What a simulated server answers.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type, or null for none (an empty answer)
 * @param body the body
 * @param waitMs how long the real server itself waits before answering (a sleep in its code), before the latency
 */
record Reply(int status, String contentType, byte[] body, long waitMs) {

    Reply(int status, String contentType, byte[] body) {
        this(status, contentType, body, 0);
    }

    /** The same answer after the server's own wait. */
    Reply after(long waitMs) {
        return new Reply(status, contentType, body, this.waitMs + waitMs);
    }

    /** 200 with no body and no Content-Type, as NestJS answers a handler that returns nothing. */
    static Reply empty() {
        return new Reply(200, null, new byte[0]);
    }

    static final String JSON = "application/json";

    static Reply json(int status, Object value) {
        return new Reply(status, JSON, Json.bytes(value));
    }

    static Reply ok(Object value) {
        return json(200, value);
    }

    static Reply error(int status, String message) {
        return json(status, Json.object("statusCode", status, "error", message, "success", false));
    }

    static Reply notFound(String what) {
        return error(404, what + " not found");
    }

    static Reply raw(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
