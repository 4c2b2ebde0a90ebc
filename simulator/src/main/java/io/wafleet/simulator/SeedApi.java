package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The seed document's contract: /api/health, /api/stats and /api/accounts/*. */
final class SeedApi extends DialectApi {

    SeedApi(SimulatedServer server) {
        super(server);
    }

    @Override
    String apiKeyHeader() {
        return "X-Api-Key";
    }

    @Override
    Reply unauthorized() {
        return Reply.error(401, "missing or wrong " + apiKeyHeader() + " header");
    }

    @Override
    Reply handle(Request request) {
        if (request.is("GET", "api", "health")) {
            return Reply.ok(health());
        }
        if (request.is("GET", "api", "stats")) {
            return Reply.ok(stats());
        }
        if (request.is("POST", "api", "accounts", "connect")) {
            return connect(request.json());
        }
        if (request.is("POST", "api", "accounts", "disconnect")) {
            return disconnect(request.json());
        }
        if (request.is("POST", "api", "accounts", "*", "messages")) {
            return send(request.segment(2), request.json());
        }
        if (request.is("GET", "api", "accounts", "*", "qr")) {
            return qr(request.segment(2));
        }
        if (request.is("GET", "api", "accounts", "*")) {
            return account(request.segment(2));
        }
        return Reply.notFound(request.method() + " /" + String.join("/", request.segments()));
    }

    private Map<String, Object> health() {
        Sessions sessions = server.sessions();
        long connected = sessions.count(Session.State.WORKING);
        long connecting = sessions.count(Session.State.STARTING) + sessions.count(Session.State.SCAN_QR_CODE);
        Runtime runtime = Runtime.getRuntime();
        LatencyModel latency = server.spec().latency();
        return Json.object(
                "status", server.reportedStatus(),
                "timestamp", server.clock().instant().toString(),
                "uptime", uptimeSeconds(),
                "version", server.spec().version(),
                "accounts",
                        Json.object("total", sessions.all().size(), "connected", connected, "connecting", connecting),
                "memory",
                        Json.object(
                                "heapUsed",
                                runtime.totalMemory() - runtime.freeMemory(),
                                "heapTotal",
                                runtime.totalMemory(),
                                "rss",
                                runtime.totalMemory() + 50_000_000L),
                "performance",
                        Json.object(
                                "avgResponseTime", round(latency.meanMs()),
                                "p95ResponseTime", round(latency.p95Ms()),
                                "p99ResponseTime", round(latency.p99Ms())));
    }

    private Map<String, Object> stats() {
        ServerSpec spec = server.spec();
        long connected = server.sessions().count(Session.State.WORKING);
        double utilization = spec.capacity() == 0 ? 0 : (double) connected / spec.capacity();
        LatencyModel latency = spec.latency();
        return Json.object(
                "cpu", round(5 + 80 * utilization),
                "memory", round(20 + 70 * utilization),
                "storage", 34.1,
                "network", round(2 + 50 * utilization),
                "activeInstances", (int) Math.ceil((double) connected / Math.max(1, spec.maxUsersPerInstance())),
                "totalUsers", connected,
                "messagesPerMinute", connected * 2,
                "errorRate", round(spec.errorRate() * 100),
                "averageResponseTime", round(latency.meanMs()),
                "p95ResponseTime", round(latency.p95Ms()),
                "p99ResponseTime", round(latency.p99Ms()),
                "uptime", uptimeSeconds(),
                "isHealthy", "healthy".equals(server.reportedStatus()));
    }

    private Reply connect(JsonNode body) {
        String id = body.path("id").asText("");
        if (id.isBlank()) {
            return Reply.error(400, "body must name the account: {\"id\": \"...\", \"name\": \"...\"}");
        }
        Session session;
        try {
            session = server.sessions().getOrCreate(id, body.path("name").asText(id));
        } catch (Sessions.CapacityExceeded e) {
            return Reply.error(429, e.getMessage());
        }
        Instant now = server.clock().instant();
        session.startWithQr(now);
        Session.State state = server.sessions().stateOf(session);
        return Reply.ok(Json.object(
                "success",
                true,
                "connectionId",
                session.connectionId(),
                "qrCode",
                // The seed document (multi-server-whatsapp-template.md, connect): the QR as a PNG data URL (drawn by
                // QrImages).
                state == Session.State.SCAN_QR_CODE ? server.qrImages().dataUrl(session.qrText()) : null,
                "status",
                status(state)));
    }

    private Reply disconnect(JsonNode body) {
        String id = body.path("id").asText("");
        if (id.isBlank()) {
            return Reply.error(400, "body must name the account: {\"id\": \"...\"}");
        }
        return server.sessions()
                .remove(id)
                .map(session -> Reply.ok(Json.object("success", true, "id", id, "status", "disconnected")))
                .orElseGet(() -> Reply.notFound("account " + id));
    }

    /**
     * wafleet's extension of the seed contract (the seed document has no send; README "Messages"): {@code POST
     * /api/accounts/{id}/messages {to, text}} → 201 {@code {messageId, status: "sent"}}; 404 unknown account, 409 not
     * connected, 400 invalid, 429 over the session's limit, 500 a failed send. The seed has no webhooks, so no acks.
     */
    private Reply send(String id, JsonNode body) {
        String to = body.path("to").asText("");
        if (to.isBlank()
                || !body.path("text").isTextual()
                || body.path("text").asText().isBlank()) {
            return Reply.error(400, "body must have 'to' (a phone number) and a non-empty 'text'");
        }
        return server.sessions()
                .find(id)
                .map(session -> {
                    Session.State state = server.sessions().stateOf(session);
                    if (state != Session.State.WORKING) {
                        return Reply.error(409, "account " + id + " is " + status(state) + ", not connected");
                    }
                    return switch (server.sends().send(session, to)) {
                        case SENT -> Reply.json(201, Json.object("messageId", SessionSends.newId(), "status", "sent"));
                        case NOT_ON_WHATSAPP -> Reply.error(400, to + " is not on WhatsApp");
                        case RATE_LIMITED -> Reply.error(429, "account " + id + " sends too fast");
                        case FAILED -> Reply.error(500, "the message could not be sent");
                    };
                })
                .orElseGet(() -> Reply.notFound("account " + id));
    }

    private Reply qr(String id) {
        return server.sessions()
                .find(id)
                .map(session -> {
                    Session.State state = server.sessions().stateOf(session);
                    if (state != Session.State.SCAN_QR_CODE) {
                        return Reply.error(
                                409, "account " + id + " is " + status(state) + ", not waiting for a QR scan");
                    }
                    session.refreshQr();
                    return Reply.ok(Json.object(
                            "qrCode", server.qrImages().dataUrl(session.qrText()), "status", status(state)));
                })
                .orElseGet(() -> Reply.notFound("account " + id));
    }

    private Reply account(String id) {
        return server.sessions()
                .find(id)
                .map(session -> {
                    Session.State state = server.sessions().stateOf(session);
                    Instant connectedAt = session.connectedAt();
                    return Reply.ok(Json.object(
                            "id", session.accountId(),
                            "name", session.name(),
                            "status", status(state),
                            "connectionId", session.connectionId(),
                            "createdAt", session.createdAt().toString(),
                            "connectedAt", connectedAt == null ? null : connectedAt.toString()));
                })
                .orElseGet(() -> Reply.notFound("account " + id));
    }

    static String status(Session.State state) {
        return switch (state) {
            case STOPPED -> "disconnected";
            case STARTING, RECONNECTING -> "connecting";
            case SCAN_QR_CODE -> "qr_required";
            case WORKING -> "connected";
            case FAILED -> "failed";
        };
    }

    private long uptimeSeconds() {
        return Duration.between(server.startedAt(), server.clock().instant()).toSeconds();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
