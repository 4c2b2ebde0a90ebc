package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.schemas.Texts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/** Reading servers' JSON answers: optional fields, required fields, and answers of the wrong shape. */
final class Json {

    private Json() {}

    /**
     * A text field of a server's answer, without control characters: what a server says goes into events and the
     * audit, and PostgreSQL cannot store a NUL in a text.
     */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? Texts.printable(value.asText()) : null;
    }

    static Double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    static Long whole(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.canConvertToLong() && value.isNumber() ? value.asLong() : null;
    }

    static int count(JsonNode node, String field) {
        Long value = whole(node, field);
        return value == null ? 0 : value.intValue();
    }

    /** Reads a successful JSON answer; a missing or malformed field is a BAD_BODY failure. */
    static <T> CallResult<T> read(CallResult<JsonNode> result, Function<JsonNode, T> reader) {
        if (!(result instanceof CallResult.Ok<JsonNode> ok)) {
            return ((CallResult.Failed<JsonNode>) result).cast();
        }
        try {
            return new CallResult.Ok<>(reader.apply(ok.value()), ok.httpStatus(), ok.latency());
        } catch (BadBody e) {
            return HttpCaller.badBody(e.getMessage(), ok);
        }
    }

    static String required(JsonNode json, String field) {
        String value = Json.text(json, field);
        if (value == null) {
            throw new BadBody("answer has no '" + field + "'");
        }
        return value;
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON answer that does not have the shape the dialect promises. */
    static final class BadBody extends RuntimeException {
        BadBody(String message) {
            super(message, null, false, false);
        }
    }

    /** The same result, with the latency of the whole exchange of several calls that led to it. */
    static <T> CallResult<T> since(long startedNanos, CallResult<T> result) {
        Duration total = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (result instanceof CallResult.Ok<T> ok) {
            return new CallResult.Ok<>(ok.value(), ok.httpStatus(), total);
        }
        CallResult.Failed<T> failed = (CallResult.Failed<T>) result;
        return new CallResult.Failed<>(failed.kind(), failed.httpStatus(), failed.message(), total);
    }
}
