package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A server that answers a fixture's exchanges in their order, each only to the request it records (method, path
 * with query, the headers it lists, the JSON body), with the recorded status, Content-Type and body; placeholders
 * in a body are given concrete values. What did not match is kept for the test to report.
 */
final class FixtureReplay implements AutoCloseable {

    /** A 1x1 PNG, for {@code <base64-png>}, {@code <data-url-png>} and {@code <png>}. */
    static final String PNG_BASE64 =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer http;
    private final Iterator<JsonNode> exchanges;
    private final List<String> mismatches = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> served = new ConcurrentLinkedQueue<>();

    FixtureReplay(List<JsonNode> exchanges) throws IOException {
        this.exchanges = exchanges.iterator();
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/", this::answer);
        http.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Requests that did not match, and recorded exchanges the client did not make. */
    synchronized List<String> problems() {
        List<String> problems = new ArrayList<>(mismatches);
        exchanges.forEachRemaining(left -> problems.add("not asked: " + left.path("request")));
        return problems;
    }

    List<String> served() {
        return List.copyOf(served);
    }

    private synchronized void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String asked = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            if (!exchanges.hasNext()) {
                mismatches.add("asked beyond the fixture: " + asked);
                exchange.sendResponseHeaders(599, -1);
                return;
            }
            JsonNode step = exchanges.next();
            JsonNode request = step.path("request");
            String expected =
                    request.path("method").asText() + " " + request.path("path").asText();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String mismatch = mismatch(request, exchange, asked, expected, body);
            if (mismatch != null) {
                mismatches.add(mismatch);
                exchange.sendResponseHeaders(599, -1);
                return;
            }
            served.add(asked);
            JsonNode response = step.path("response");
            String type = response.path("headers").path("Content-Type").asText(null);
            byte[] answer = body(response.path("body"));
            if (type != null) {
                exchange.getResponseHeaders().set("Content-Type", type);
            }
            exchange.sendResponseHeaders(response.path("status").asInt(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private static String mismatch(JsonNode request, HttpExchange exchange, String asked, String expected, byte[] body)
            throws IOException {
        if (!asked.equals(expected)) {
            return "asked " + asked + ", the fixture has " + expected;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = request.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String value = exchange.getRequestHeaders().getFirst(header.getKey());
            if (!header.getValue().asText().equals(value)) {
                return asked + ": header " + header.getKey() + " was " + value + ", the fixture has "
                        + header.getValue().asText();
            }
        }
        if (request.has("body")) {
            JsonNode sent = body.length == 0 ? null : MAPPER.readTree(body);
            if (!request.get("body").equals(sent)) {
                return asked + ": body " + sent + ", the fixture has " + request.get("body");
            }
        }
        return null;
    }

    private static byte[] body(JsonNode body) throws IOException {
        if (body.isNull() || body.isMissingNode()) {
            return new byte[0];
        }
        if (body.isTextual() && body.asText().equals("<png>")) {
            return Base64.getDecoder().decode(PNG_BASE64);
        }
        return MAPPER.writeValueAsString(concrete(body)).getBytes(StandardCharsets.UTF_8);
    }

    /** The body with each placeholder replaced by a value of its kind. */
    private static JsonNode concrete(JsonNode node) {
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "<string>", "<any>" -> MAPPER.getNodeFactory().textNode("fixture");
                case "<number>" -> MAPPER.getNodeFactory().numberNode(1);
                case "<base64-png>" -> MAPPER.getNodeFactory().textNode(PNG_BASE64);
                case "<data-url-png>" -> MAPPER.getNodeFactory().textNode("data:image/png;base64," + PNG_BASE64);
                default -> node;
            };
        }
        if (node.isObject()) {
            var copy = MAPPER.createObjectNode();
            node.fields().forEachRemaining(field -> copy.set(field.getKey(), concrete(field.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = MAPPER.createArrayNode();
            node.forEach(item -> copy.add(concrete(item)));
            return copy;
        }
        return node;
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
