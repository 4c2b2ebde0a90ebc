package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evolution's instance calls: EvolutionAPI/evolution-api 2.3.6 (1.8.2 where it differs)
 * {@code src/api/controllers/instance.controller.ts}, behind {@code src/api/guards/instance.guard.ts} (an instance
 * that does not exist is a 404; a name in use is a 403 on create).
 */
final class EvolutionInstanceCalls {

    /** createInstance with qrcode: connectToWhatsapp, then {@code delay(5000)}, then the QR it has (both versions). */
    static final long CREATE_WAIT_MS = 5000;

    /** connectToWhatsapp of a closed instance: {@code delay(2000)} in 2.3.6, {@code delay(5000)} in 1.8.2. */
    static final long CONNECT_WAIT_V2_MS = 2000;

    static final long CONNECT_WAIT_V1_MS = 5000;

    private final SimulatedServer server;
    private final EvolutionApi api;
    private final boolean v2;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final EvolutionAnswers answers;

    EvolutionInstanceCalls(SimulatedServer server, EvolutionApi api, EvolutionAnswers answers, boolean v2) {
        this.server = server;
        this.api = api;
        this.answers = answers;
        this.v2 = v2;
    }

    /** The instance's own API key ({@code hash}): given as {@code token} or a random upper-case UUID. */
    String token(Session session) {
        return tokens.get(session.accountId());
    }

    Reply create(JsonNode body) {
        String name = body.path("instanceName").asText("");
        if (name.isBlank()) {
            // Not copied: 2.3.6 instance.schema.ts requires no instanceName and what follows depends on the database;
            // the simulator refuses such a create.
            return EvolutionApi.error(400, "Bad Request", "instance requires property \"instanceName\"");
        }
        if (server.sessions().find(name).isPresent()) {
            return EvolutionApi.error(403, "Forbidden", "This name \"" + name + "\" is already in use.");
        }
        Session session = server.sessions().add(name, name);
        String token = body.path("token").isTextual()
                ? body.path("token").asText()
                : UUID.randomUUID().toString().toUpperCase();
        tokens.put(name, token);
        session.config(EvolutionWebhooks.config(body));
        boolean qrcode = body.path("qrcode").asBoolean(false);
        long waited = 0;
        if (qrcode) {
            waited = CREATE_WAIT_MS;
            start(session, waited);
        }
        String integration = body.path("integration").asText("WHATSAPP-BAILEYS");
        Object qr = qrcode ? answers.qrCode(session) : Json.UNDEFINED;
        Map<String, Object> answer = v2
                ? answers.createdV2(session, integration, token, qr)
                : answers.createdV1(session, integration, token, qr);
        return Reply.json(201, answer).after(waited);
    }

    /** The routes on /instance/{action}/{instanceName}; empty for an action it does not have. */
    Optional<Reply> handle(String method, String action, String name) {
        boolean known = (method.equals("GET") && (action.equals("connect") || action.equals("connectionState")))
                || (method.equals("DELETE") && (action.equals("logout") || action.equals("delete")));
        if (!known) {
            return Optional.empty();
        }
        Optional<Session> found = server.sessions().find(name);
        if (found.isEmpty()) {
            return Optional.of(EvolutionApi.error(404, "Not Found", "The \"" + name + "\" instance does not exist"));
        }
        Session session = found.get();
        return Optional.of(
                switch (action) {
                    case "connect" -> connect(session);
                    case "connectionState" ->
                        Reply.ok(
                                Json.object("instance", Json.object("instanceName", name, "state", api.live(session))));
                    case "logout" -> logout(session);
                    default -> delete(session);
                });
    }

    /** open: its state; connecting: the QR it holds, as it is (Baileys refreshes it); close: started, then the QR. */
    private Reply connect(Session session) {
        String state = api.live(session);
        if (state.equals("open")) {
            return Reply.ok(Json.object("instance", Json.object("instanceName", session.accountId(), "state", "open")));
        }
        if (state.equals("connecting")) {
            return Reply.ok(answers.qrCode(session));
        }
        long waited = v2 ? CONNECT_WAIT_V2_MS : CONNECT_WAIT_V1_MS;
        start(session, waited);
        return Reply.ok(answers.qrCode(session)).after(waited);
    }

    private Reply logout(Session session) {
        if (api.live(session).equals("close")) {
            return notConnected(session);
        }
        session.logout(now());
        return success("Instance logged out");
    }

    /** v2 logs a connecting or open instance out first; v1.8 refuses an open one. */
    private Reply delete(Session session) {
        String state = api.live(session);
        if (!v2 && state.equals("open")) {
            return EvolutionApi.error(
                    400, "Bad Request", "The \"" + session.accountId() + "\" instance needs to be disconnected");
        }
        if (!state.equals("close")) {
            session.logout(now());
        }
        server.sessions().remove(session.accountId());
        tokens.remove(session.accountId());
        return success("Instance deleted");
    }

    /**
     * Connects to WhatsApp: with its login it comes back open; without, Baileys issues a QR within the server's wait
     * when it waits at all (scaled to 0 it answers before the QR).
     */
    private void start(Session session, long waitMs) {
        if (waitMs * server.spec().waitScale() >= Session.START_DELAY.toMillis()) {
            session.startWithQr(now());
        } else {
            session.start(now());
        }
    }

    private Instant now() {
        return server.clock().instant();
    }

    private static Reply notConnected(Session session) {
        return EvolutionApi.error(400, "Bad Request", "The \"" + session.accountId() + "\" instance is not connected");
    }

    private static Reply success(String message) {
        return Reply.ok(Json.object("status", "SUCCESS", "error", false, "response", Json.object("message", message)));
    }
}
