package io.wafleet.simulator;

import java.nio.charset.StandardCharsets;

/**
 * What a simulated server answers.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type
 * @param body the body
 */
record Reply(int status, String contentType, byte[] body) {

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
