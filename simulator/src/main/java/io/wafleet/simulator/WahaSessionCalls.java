package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * WAHA's session calls. The controller is devlikeapro/waha 2024.10.8 {@code src/api/sessions.controller.ts} (2024.9.1
 * where {@link WahaRelease} says so); Core's rules are {@code src/core/manager.core.ts}: only {@code default}
 * ({@code onlyDefault()}: 422 for any other name), start of a running session refused, and 3 s after each stop of a
 * running session ({@code SESSION_STOP_TIMEOUT}). Plus's manager is not public: Plus follows the controller's own
 * contract (start and stop idempotent, many sessions), without Core's rules.
 */
final class WahaSessionCalls {

    /** Core's sleep after stopping a running session. */
    static final long STOP_WAIT_MS = 3000;

    private static final String ONLY_DEFAULT = "WAHA Core support only 'default' session. If you want to run more"
            + " then one WhatsApp account - please get WAHA PLUS version. Check this out: https://waha.devlike.pro/";

    private final SimulatedServer server;
    private final WahaRelease release;
    private final WahaApi api;
    private final boolean core;
    private final WahaQr qr;

    WahaSessionCalls(SimulatedServer server, WahaRelease release, WahaApi api) {
        this.server = server;
        this.release = release;
        this.api = api;
        this.core = server.spec().wahaCore();
        this.qr = new WahaQr(server, release);
    }

    /** getSessions(all): stopped sessions only with all=true. */
    Reply list(boolean all) {
        return Reply.ok(server.sessions().all().stream()
                .filter(session -> all || running(session))
                .map(session -> api.info(session, false))
                .toList());
    }

    Reply get(String name) {
        var session = server.sessions().find(name);
        if (session.isPresent()) {
            return Reply.ok(api.info(session.get(), release.detailedInfo()));
        }
        if (core && name.equals(WahaApi.CORE_SESSION) && !release.detailedInfo()) {
            return Reply.empty(); // 2024.9.1: getSessionInfo answers undefined for a removed session
        }
        return notFound();
    }

    Reply create(JsonNode body) {
        String name = body.path("name").isTextual()
                ? body.path("name").asText()
                : "session_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
        if (core && !name.equals(WahaApi.CORE_SESSION)) {
            return onlyDefault();
        }
        if (server.sessions().find(name).isPresent()) {
            return WahaApi.error(
                    422, "Unprocessable Entity", "Session '" + name + "' already exists. Use PUT to update it.");
        }
        Session session = server.sessions().add(name, name);
        session.config(body.has("config") ? body.get("config") : null);
        if (body.path("start").asBoolean(false)) {
            session.start(now());
        }
        return Reply.json(201, api.info(session, release.detailedInfo()));
    }

    /** PUT: stops a running session, takes the new config, starts it again. */
    Reply update(String name, JsonNode body) {
        return existing(name, session -> {
            boolean running = running(session);
            long waited = stop(session);
            session.config(body.has("config") ? body.get("config") : null);
            if (running) {
                session.start(now());
            }
            return Reply.ok(api.info(session, release.detailedInfo())).after(waited);
        });
    }

    /** DELETE: stop, logout, delete; idempotent; answers nothing. */
    Reply delete(String name) {
        if (core && !name.equals(WahaApi.CORE_SESSION)) {
            return onlyDefault();
        }
        long waited = server.sessions().find(name).map(this::stop).orElse(0L);
        server.sessions().remove(name);
        return Reply.empty().after(waited);
    }

    /** POST /api/sessions/{name}/{start|stop|logout|restart}: 201 with the session; null for another action. */
    Reply action(String name, String action) {
        if (!List.of("start", "stop", "logout", "restart").contains(action)) {
            return null;
        }
        if (action.equals("stop")) {
            if (core && !name.equals(WahaApi.CORE_SESSION)) {
                return onlyDefault();
            }
            long waited = server.sessions().find(name).map(this::stop).orElse(0L);
            return server.sessions()
                    .find(name)
                    .map(session -> Reply.json(201, api.info(session, release.detailedInfo())))
                    .orElseGet(() -> new Reply(201, null, new byte[0]))
                    .after(waited);
        }
        return existing(name, session -> {
            long waited = 0;
            switch (action) {
                case "start" -> {
                    if (running(session) && core && release.startRefusesRunning()) {
                        return WahaApi.error(422, "Unprocessable Entity", "Session 'default' is already started.");
                    }
                    session.start(now());
                }
                case "logout" -> {
                    boolean running = running(session);
                    waited = stop(session);
                    session.logout(now());
                    if (running) {
                        session.start(now());
                    }
                }
                default -> {
                    waited = stop(session);
                    session.start(now());
                }
            }
            return Reply.json(201, api.info(session, release.detailedInfo())).after(waited);
        });
    }

    /** GET /api/{session}/auth/qr: {@link WahaQr}. */
    Reply qr(String name, String format, String accept) {
        if (core && !name.equals(WahaApi.CORE_SESSION)) {
            return onlyDefault();
        }
        return qr.answer(name, format, accept);
    }

    /** The named session to {@code handler}; Core answers 422 for any name but default, and 404 for one not there. */
    Reply existing(String name, Function<Session, Reply> handler) {
        if (core && !name.equals(WahaApi.CORE_SESSION)) {
            return onlyDefault();
        }
        return server.sessions().find(name).map(handler).orElseGet(WahaSessionCalls::notFound);
    }

    /** Stops a running session; Core then sleeps {@link #STOP_WAIT_MS}. Returns the wait. */
    private long stop(Session session) {
        if (!running(session)) {
            return 0;
        }
        session.stop(now());
        return core ? STOP_WAIT_MS : 0;
    }

    private boolean running(Session session) {
        Session.State state = server.sessions().stateOf(session);
        return state != Session.State.STOPPED && state != Session.State.FAILED;
    }

    private Instant now() {
        return server.clock().instant();
    }

    private static Reply notFound() {
        return WahaApi.error(404, "Not Found", "Session not found");
    }

    private static Reply onlyDefault() {
        return WahaApi.error(422, "Unprocessable Entity", ONLY_DEFAULT);
    }
}
