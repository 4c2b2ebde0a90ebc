package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to a simulated server, as the dialect APIs see it.
 *
 * @param method the HTTP method
 * @param segments the path split at '/', without empty parts
 * @param query the query parameters (first value of each)
 * @param headers the request headers, names in lower case (first value of each)
 * @param body the request body
 */
record Request(
        String method, List<String> segments, Map<String, String> query, Map<String, String> headers, byte[] body) {

    /** True when the method and the path match; a {@code *} segment matches any one segment. */
    boolean is(String method, String... pattern) {
        if (!this.method.equals(method) || segments.size() != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals("*") && !pattern[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    String segment(int index) {
        return segments.get(index);
    }

    String header(String name) {
        return headers.get(name.toLowerCase());
    }

    /** The body as JSON; an empty or unreadable body is a missing node, which dialects answer with 400. */
    JsonNode json() {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
