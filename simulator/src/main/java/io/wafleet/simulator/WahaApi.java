package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** WAHA's API (devlikeapro/waha): /ping, /api/server/*, /api/sessions/*, /api/{session}/auth/qr. */
final class WahaApi extends DialectApi {

    WahaApi(SimulatedServer server) {
        super(server);
    }

    @Override
    String apiKeyHeader() {
        return "X-Api-Key";
    }

    @Override
    Reply handle(Request request) {
        if (request.is("GET", "ping")) {
            return Reply.ok(Json.object("message", "pong"));
        }
        if (request.is("GET", "api", "server", "status")) {
            return Reply.ok(Json.object(
                    "startTimestamp", server.startedAt().toEpochMilli(),
                    "uptime",
                            Duration.between(server.startedAt(), server.clock().instant())
                                    .toMillis(),
                    "version", version()));
        }
        if (request.is("GET", "api", "server", "version")) {
            return Reply.ok(version());
        }
        if (request.is("GET", "api", "sessions")) {
            boolean all = "true".equals(request.query().get("all"));
            return Reply.ok(server.sessions().all().stream()
                    .filter(session -> all || server.sessions().stateOf(session) != Session.State.STOPPED)
                    .map(this::session)
                    .toList());
        }
        if (request.is("POST", "api", "sessions")) {
            return create(request.json());
        }
        if (request.is("GET", "api", "sessions", "*")) {
            return withSession(request.segment(2), session -> Reply.ok(session(session)));
        }
        if (request.is("DELETE", "api", "sessions", "*")) {
            return server.sessions()
                    .remove(request.segment(2))
                    .map(session -> Reply.ok(Json.object("name", session.accountId())))
                    .orElseGet(() -> Reply.notFound("session " + request.segment(2)));
        }
        if (request.is("POST", "api", "sessions", "*", "*")) {
            return action(request.segment(2), request.segment(3));
        }
        if (request.is("GET", "api", "*", "auth", "qr")) {
            return qr(request);
        }
        return Reply.notFound(request.method() + " /" + String.join("/", request.segments()));
    }

    private Reply create(JsonNode body) {
        String name = body.path("name").asText("");
        if (name.isBlank()) {
            return Reply.error(400, "name must be given");
        }
        if (server.sessions().find(name).isPresent()) {
            return Reply.error(422, "Session '" + name + "' already exists. Use PUT to update it.");
        }
        Session session;
        try {
            session = server.sessions().getOrCreate(name, name);
        } catch (Sessions.CapacityExceeded e) {
            return Reply.error(429, e.getMessage());
        }
        if (body.path("start").asBoolean(true)) {
            session.start(server.clock().instant());
        }
        return Reply.json(201, session(session));
    }

    private Reply action(String name, String action) {
        return withSession(name, session -> {
            switch (action) {
                case "start" -> session.start(server.clock().instant());
                case "stop", "logout" -> session.stop(server.clock().instant());
                case "restart" -> {
                    session.stop(server.clock().instant());
                    session.start(server.clock().instant());
                }
                default -> {
                    return Reply.notFound("action " + action);
                }
            }
            return Reply.ok(session(session));
        });
    }

    private Reply qr(Request request) {
        return withSession(request.segment(1), session -> {
            Session.State state = server.sessions().stateOf(session);
            if (state != Session.State.SCAN_QR_CODE) {
                return Reply.error(
                        422,
                        "Session status is not as expected. Try again later or restart the session."
                                + " Expected: SCAN_QR_CODE, got: " + state);
            }
            if ("raw".equals(request.query().get("format"))) {
                return Reply.ok(Json.object("value", session.qrText()));
            }
            String accept = request.header("accept");
            if (accept != null && accept.contains("application/json")) {
                return Reply.ok(Json.object("mimetype", "image/png", "data", QrCodes.base64Png(session.qrText())));
            }
            return new Reply(200, "image/png", QrCodes.png(session.qrText()));
        });
    }

    private Reply withSession(String name, java.util.function.Function<Session, Reply> handler) {
        return server.sessions().find(name).map(handler).orElseGet(() -> Reply.notFound("session " + name));
    }

    private Map<String, Object> session(Session session) {
        Session.State state = server.sessions().stateOf(session);
        return Json.object(
                "name", session.accountId(),
                "status", state.name(),
                "config", Json.object("metadata", Json.object("connectionId", session.connectionId())),
                "me",
                        state == Session.State.WORKING
                                ? Json.object("id", session.accountId() + "@c.us", "pushName", session.name())
                                : null,
                "engine", Json.object("engine", "WEBJS"));
    }

    private Map<String, Object> version() {
        return Json.object(
                "version",
                server.spec().version(),
                "engine",
                "WEBJS",
                "tier",
                "CORE",
                "browser",
                List.of("/usr/bin/chromium"));
    }
}
