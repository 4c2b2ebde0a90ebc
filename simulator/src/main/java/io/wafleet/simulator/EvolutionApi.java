package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Evolution API v2: GET /, /instance/create, connect, connectionState, fetchInstances, logout, delete. */
final class EvolutionApi extends DialectApi {

    EvolutionApi(SimulatedServer server) {
        super(server);
    }

    @Override
    String apiKeyHeader() {
        return "apikey";
    }

    @Override
    Reply handle(Request request) {
        if (request.is("GET")) {
            return Reply.ok(Json.object(
                    "status", 200,
                    "message", "Welcome to the Evolution API, it is working!",
                    "version", server.spec().version(),
                    "clientName", "evolution_exchange",
                    "manager", "/manager",
                    "documentation", "https://doc.evolution-api.com"));
        }
        if (request.is("POST", "instance", "create")) {
            return create(request.json());
        }
        if (request.is("GET", "instance", "connect", "*")) {
            return withInstance(request.segment(2), this::connect);
        }
        if (request.is("GET", "instance", "connectionState", "*")) {
            return withInstance(
                    request.segment(2),
                    session -> Reply.ok(Json.object(
                            "instance", Json.object("instanceName", session.accountId(), "state", state(session)))));
        }
        if (request.is("GET", "instance", "fetchInstances")) {
            String only = request.query().get("instanceName");
            return Reply.ok(server.sessions().all().stream()
                    .filter(session -> only == null || only.equals(session.accountId()))
                    .map(this::instance)
                    .toList());
        }
        if (request.is("DELETE", "instance", "logout", "*")) {
            return withInstance(request.segment(2), this::logout);
        }
        if (request.is("DELETE", "instance", "delete", "*")) {
            return server.sessions()
                    .remove(request.segment(2))
                    .map(session -> success("Instance deleted"))
                    .orElseGet(() -> notFound(request.segment(2)));
        }
        return Reply.notFound(request.method() + " /" + String.join("/", request.segments()));
    }

    private Reply create(JsonNode body) {
        String name = body.path("instanceName").asText("");
        if (name.isBlank()) {
            return evolutionError(400, "Bad Request", "instanceName is required");
        }
        if (server.sessions().find(name).isPresent()) {
            return evolutionError(403, "Forbidden", "This name \"" + name + "\" is already in use.");
        }
        Session session;
        try {
            session = server.sessions().getOrCreate(name, name);
        } catch (Sessions.CapacityExceeded e) {
            return evolutionError(429, "Too Many Requests", e.getMessage());
        }
        boolean qrcode = body.path("qrcode").asBoolean(false);
        if (qrcode) {
            session.startWithQr(server.clock().instant());
        }
        return Reply.json(
                201,
                Json.object(
                        "instance",
                                Json.object(
                                        "instanceName", name,
                                        "instanceId", session.connectionId(),
                                        "integration", body.path("integration").asText("WHATSAPP-BAILEYS"),
                                        "status", state(session)),
                        "hash", UUID.randomUUID().toString().toUpperCase(),
                        "qrcode", qrcode ? qrcode(session) : Json.object("count", 0)));
    }

    private Reply connect(Session session) {
        if (server.sessions().stateOf(session) == Session.State.WORKING) {
            return Reply.ok(Json.object("instance", Json.object("instanceName", session.accountId(), "state", "open")));
        }
        session.startWithQr(server.clock().instant());
        session.refreshQr();
        return Reply.ok(qrcode(session));
    }

    private Reply logout(Session session) {
        if (server.sessions().stateOf(session) != Session.State.WORKING) {
            return evolutionError(400, "Bad Request", "The \"" + session.accountId() + "\" instance is not connected");
        }
        session.stop(server.clock().instant());
        return success("Instance logged out");
    }

    private Map<String, Object> qrcode(Session session) {
        return Json.object(
                "pairingCode", null, "code", session.qrText(), "base64", QrCodes.dataUrl(session.qrText()), "count", 1);
    }

    private Map<String, Object> instance(Session session) {
        return Json.object(
                "id", session.connectionId(),
                "name", session.accountId(),
                "connectionStatus", state(session),
                "ownerJid",
                        server.sessions().stateOf(session) == Session.State.WORKING
                                ? session.accountId() + "@s.whatsapp.net"
                                : null,
                "profileName", session.name(),
                "integration", "WHATSAPP-BAILEYS",
                "createdAt", session.createdAt().toString());
    }

    private String state(Session session) {
        return switch (server.sessions().stateOf(session)) {
            case STARTING, SCAN_QR_CODE -> "connecting";
            case WORKING -> "open";
            case STOPPED, FAILED -> "close";
        };
    }

    private Reply withInstance(String name, Function<Session, Reply> handler) {
        return server.sessions().find(name).map(handler).orElseGet(() -> notFound(name));
    }

    private static Reply notFound(String name) {
        return evolutionError(404, "Not Found", "The \"" + name + "\" instance does not exist");
    }

    private static Reply success(String message) {
        return Reply.ok(Json.object("status", "SUCCESS", "error", false, "response", Json.object("message", message)));
    }

    private static Reply evolutionError(int status, String error, String message) {
        return Reply.json(
                status,
                Json.object("status", status, "error", error, "response", Json.object("message", List.of(message))));
    }
}
