package io.wafleet.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * WAHA's HTTP API as devlikeapro/waha answers it, Core and Plus, 2024.9 onwards (and 2024.8 to be refused): routes of
 * 2024.10.8 {@code src/api/server.controller.ts}, {@code sessions.controller.ts}, {@code auth.controller.ts},
 * {@code ping.controller.ts}; errors as NestJS renders an HttpException ({@code src/nestjs/AllExceptionsFilter.ts}:
 * {@code {message, error, statusCode}}). The session calls are {@link WahaSessionCalls}.
 */
final class WahaApi extends DialectApi {

    /** WAHA Core's one session (2024.10.8 {@code SessionManagerCore.DEFAULT}). */
    static final String CORE_SESSION = "default";

    private final WahaRelease release;
    private final WahaSessionCalls calls;
    private final WahaWebhooks webhooks;
    private final WahaSends sends;

    WahaApi(SimulatedServer server) {
        super(server);
        this.release = WahaRelease.of(server.spec().version());
        this.calls = new WahaSessionCalls(server, release, this);
        this.webhooks = new WahaWebhooks(this, server);
        this.sends = new WahaSends(server, calls);
        if (server.spec().wahaCore()) {
            // Core's manager starts with session = STOPPED (null): 'default' exists, stopped, until deleted.
            server.sessions().add(CORE_SESSION, CORE_SESSION);
        }
    }

    @Override
    String apiKeyHeader() {
        return "X-Api-Key";
    }

    /**
     * Core 2024.x checks no key: WHATSAPP_API_KEY is read (config.service.ts getApiKey) but no guard uses it in
     * 2024.10.8's core app module; the API key is a Plus feature (waha.devlike.pro docs, Security).
     */
    @Override
    boolean checksKey(Request request) {
        return !server.spec().wahaCore();
    }

    /** Passport's HeaderAPIKeyStrategy refusal as NestJS renders it (waha.devlike.pro docs: "No key → 401"). */
    @Override
    Reply unauthorized() {
        return Reply.json(401, Json.object("message", "Unauthorized", "statusCode", 401));
    }

    @Override
    Reply handle(Request request) {
        if (request.is("GET", "ping")) {
            return Reply.ok(Json.object("message", "pong"));
        }
        if (request.is("GET", "api", "version")) {
            return Reply.ok(version());
        }
        if (request.segments().size() >= 2 && request.segment(1).equals("server") && !release.hasServerApi()) {
            return cannot(request);
        }
        if (request.is("GET", "api", "server", "status")) {
            long uptime = Duration.between(server.startedAt(), server.clock().instant())
                    .toMillis();
            return Reply.ok(Json.object(
                    "startTimestamp",
                    server.clock().millis() - uptime,
                    "uptime",
                    uptime,
                    "worker",
                    release.workerInStatus() ? Json.object("id", "") : Json.UNDEFINED));
        }
        if (request.is("GET", "api", "server", "version")) {
            return Reply.ok(version());
        }
        if (request.is("GET", "api", "sessions")) {
            return calls.list("true".equals(request.query().get("all")));
        }
        if (request.is("POST", "api", "sessions")) {
            return calls.create(request.json());
        }
        if (request.is("GET", "api", "sessions", "*")) {
            return calls.get(request.segment(2));
        }
        if (request.is("PUT", "api", "sessions", "*")) {
            return calls.update(request.segment(2), request.json());
        }
        if (request.is("DELETE", "api", "sessions", "*")) {
            return calls.delete(request.segment(2));
        }
        if (request.is("POST", "api", "sessions", "*", "*")) {
            Reply reply = calls.action(request.segment(2), request.segment(3));
            return reply == null ? cannot(request) : reply;
        }
        if (request.is("POST", "api", "sendText")) {
            return sends.sendText(request);
        }
        if (request.is("GET", "api", "*", "auth", "qr")) {
            return calls.qr(request.segment(1), request.query().get("format"), request.header("accept"));
        }
        return cannot(request);
    }

    @Override
    java.util.List<WebhookOut.Outgoing> webhooks(
            Session session, Session.State from, Session.State to, java.time.Instant at) {
        return webhooks.of(session, to, at);
    }

    @Override
    java.util.List<WebhookOut.Outgoing> ackWebhooks(
            Session session, String messageId, String chatId, int ack, java.time.Instant at) {
        return webhooks.ack(session, messageId, chatId, ack, at);
    }

    /** NestJS's answer to a route it does not have. */
    static Reply cannot(Request request) {
        return error(404, "Not Found", "Cannot " + request.method() + " /" + String.join("/", request.segments()));
    }

    /**
     * The 422 of a session not in the status a call needs, once WAHA has waited for it (2024.10.8 {@code
     * src/core/abc/manager.abc.ts waitUntilStatus}); the caller adds the wait.
     */
    static Reply notAsExpected(String session, String status, String expected) {
        return Reply.json(
                422,
                Json.object(
                        "error",
                        "Session status is not as expected. Try again later or restart the session",
                        "session",
                        session,
                        "status",
                        status,
                        "expected",
                        List.of(expected)));
    }

    /** An HttpException with a message, as NestJS renders it. */
    static Reply error(int status, String error, Object message) {
        return Reply.json(status, Json.object("message", message, "error", error, "statusCode", status));
    }

    /** The session as getSessionInfo answers it (2024.10.8 adds the engine). */
    Map<String, Object> info(Session session, boolean detailed) {
        Session.State state = server.sessions().stateOf(session);
        String status = state == Session.State.RECONNECTING ? "STARTING" : state.name();
        return Json.object(
                "name",
                session.accountId(),
                "status",
                status,
                "config",
                session.config(),
                "me",
                state == Session.State.WORKING
                        ? Json.object("id", phone(session) + "@c.us", "pushName", session.name())
                        : null,
                "engine",
                detailed ? Json.object("engine", "WEBJS") : Json.UNDEFINED);
    }

    static String phone(Session session) {
        return "1"
                + String.format("%010d", Math.abs((long) session.connectionId().hashCode()));
    }

    /** VERSION (2024.10.8 {@code src/version.ts}). */
    Map<String, Object> version() {
        return Json.object(
                "version", server.spec().version(),
                "engine", "WEBJS",
                "tier", server.spec().tier(),
                "browser", List.of("/usr/bin/chromium").get(0));
    }
}
