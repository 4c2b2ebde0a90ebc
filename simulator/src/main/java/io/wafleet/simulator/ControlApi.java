package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The simulator's control API over HTTP, on its own port:
 * <pre>
 * GET    /control/servers                          every server, its port, fault and counts
 * GET    /control/servers.json                     the fleet in the seed's Server Configuration JSON
 * POST   /control/servers/{id}/fault               {"mode": "down|hang|slow|error|malformed|oversized", "slowMs": 2000, "status": 503}
 * POST   /control/servers/{id}/recover
 * PUT    /control/servers/{id}/latency             {"medianMs": 20, "p99Ms": 200}
 * PUT    /control/servers/{id}/error-rate          {"errorRate": 0.1}
 * PUT    /control/servers/{id}/reported-status     {"status": "degraded"}
 * PUT    /control/servers/{id}/webhook-faults      {"loss": 0.2, "duplicates": 0.1, "jitterMs": 300}
 * PUT    /control/servers/{id}/message-faults      {"rejectRate": 0.1, "perSessionPerMinute": 30, "ackDelayMs": 200}
 * GET    /control/servers/{id}/stats               request counts and accounts
 * GET    /control/servers/{id}/accounts
 * POST   /control/servers/{id}/accounts/{account}/scan
 * POST   /control/servers/{id}/accounts/{account}/drop   (a connected session's connection drops and comes back)
 * POST   /control/servers/{id}/accounts/{account}/logout (the account logs the session out on the phone)
 * </pre>
 */
final class ControlApi implements AutoCloseable {

    private final SimulatedFleet fleet;
    private final HttpServer http;

    ControlApi(SimulatedFleet fleet, int port, ExecutorService executor) {
        this.fleet = fleet;
        try {
            this.http = HttpServer.create(new InetSocketAddress(SimulatedFleet.bindAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " for the control API", e);
        }
        http.setExecutor(executor);
        http.createContext("/control", this::handle);
        http.start();
    }

    int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try (InputStream in = exchange.getRequestBody()) {
            List<String> path = Arrays.stream(exchange.getRequestURI().getPath().split("/"))
                    .filter(part -> !part.isEmpty())
                    .skip(1)
                    .toList();
            Request request =
                    new Request(exchange.getRequestMethod(), path, Map.of(), Map.of(), in.readNBytes(1 << 16));
            reply = route(request);
        } catch (IllegalArgumentException e) {
            reply = Reply.error(400, e.getMessage());
        }
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            exchange.getResponseBody().write(reply.body());
        }
    }

    private Reply route(Request request) {
        if (request.is("GET", "servers")) {
            return Reply.ok(fleet.servers().stream().map(ControlApi::summary).toList());
        }
        if (request.is("GET", "servers.json")) {
            return Reply.ok(fleet.serversJson());
        }
        if (request.segments().size() < 2 || !request.segment(0).equals("servers")) {
            return Reply.notFound("control route " + String.join("/", request.segments()));
        }
        return fleet.find(request.segment(1))
                .map(server -> serverRoute(server, request))
                .orElseGet(() -> Reply.notFound("server " + request.segment(1)));
    }

    private Reply serverRoute(SimulatedServer server, Request request) {
        JsonNode body = request.json();
        if (request.is("POST", "servers", "*", "fault")) {
            server.fault(fault(body));
        } else if (request.is("POST", "servers", "*", "recover")) {
            server.recover();
        } else if (request.is("PUT", "servers", "*", "latency")) {
            server.latency(LatencyModel.logNormal(number(body, "medianMs"), number(body, "p99Ms")));
        } else if (request.is("PUT", "servers", "*", "error-rate")) {
            server.errorRate(number(body, "errorRate"));
        } else if (request.is("PUT", "servers", "*", "reported-status")) {
            server.reportStatus(body.path("status").asText("healthy"));
        } else if (request.is("PUT", "servers", "*", "webhook-faults")) {
            server.webhookFaults(new WebhookOut.Faults(
                    body.path("loss").asDouble(0),
                    body.path("duplicates").asDouble(0),
                    java.time.Duration.ofMillis(body.path("jitterMs").asLong(0))));
        } else if (request.is("PUT", "servers", "*", "message-faults")) {
            server.messageFaults(new SessionSends.Faults(
                    body.path("rejectRate").asDouble(0),
                    body.path("perSessionPerMinute").asInt(0),
                    java.time.Duration.ofMillis(body.path("ackDelayMs").asLong(200))));
        } else if (request.is("GET", "servers", "*", "accounts")) {
            return Reply.ok(server.accounts());
        } else if (request.is("POST", "servers", "*", "accounts", "*", "scan")) {
            boolean scanned = server.scan(request.segment(3));
            return scanned
                    ? Reply.ok(Json.object("scanned", true))
                    : Reply.error(409, "account " + request.segment(3) + " is not waiting for a QR scan");
        } else if (request.is("POST", "servers", "*", "accounts", "*", "drop")) {
            boolean dropped = server.drop(request.segment(3));
            return dropped
                    ? Reply.ok(Json.object("dropped", true))
                    : Reply.error(409, "account " + request.segment(3) + " is not connected");
        } else if (request.is("POST", "servers", "*", "accounts", "*", "logout")) {
            boolean out = server.logoutOnPhone(request.segment(3));
            return out
                    ? Reply.ok(Json.object("loggedOut", true))
                    : Reply.error(409, "account " + request.segment(3) + " is not connected");
        } else if (!request.is("GET", "servers", "*", "stats")) {
            return Reply.notFound("control route " + String.join("/", request.segments()));
        }
        return Reply.ok(summary(server));
    }

    private static Fault fault(JsonNode body) {
        String mode = body.path("mode").asText("");
        Fault.Mode parsed;
        try {
            parsed = Fault.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode must be one of "
                    + Arrays.toString(Fault.Mode.values()).toLowerCase(Locale.ROOT) + ", was '" + mode + "'");
        }
        Fault fault = Fault.of(parsed);
        return new Fault(
                parsed,
                body.path("slowMs").asLong(fault.slowMs()),
                body.path("status").asInt(fault.status()));
    }

    private static double number(JsonNode body, String field) {
        if (!body.path(field).isNumber()) {
            throw new IllegalArgumentException("body must have a number '" + field + "'");
        }
        return body.path(field).asDouble();
    }

    private static Map<String, Object> summary(SimulatedServer server) {
        return Json.object(
                "id", server.id(),
                "dialect", server.dialect().name().toLowerCase(Locale.ROOT),
                "port", server.port(),
                "baseUrl", server.baseUrl(),
                "fault", server.currentFault().mode().name().toLowerCase(Locale.ROOT),
                "requests", server.requestCount(),
                "requestsByRoute", server.requestCountsByRoute(),
                "webhooks", server.webhookCounts(),
                "messages", server.sends().counts(),
                "accounts", server.accounts());
    }
}
