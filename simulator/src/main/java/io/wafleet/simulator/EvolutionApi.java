package io.wafleet.simulator;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evolution API as EvolutionAPI/evolution-api answers it, v2 (2.3.6; 2.2.3 where it differs) and v1.8 (1.8.2): routes of
 * {@code src/api/routes/index.router.ts} and {@code instance.router.ts}; errors as {@code src/main.ts} renders a
 * thrown exception ({@code {status, error, response: {message}}}, message an array of what was thrown). The instance
 * calls are {@link EvolutionInstanceCalls}.
 */
final class EvolutionApi extends DialectApi {

    private final boolean v2;
    /** 2.3.0 added NATS (create's {@code nats}, the rows' {@code Nats}) and the welcome page's WhatsApp Web version. */
    private final boolean since23;

    private final EvolutionInstanceCalls calls;
    private final EvolutionAnswers answers;
    private final EvolutionWebhooks webhooks;
    private final EvolutionSends sends;

    EvolutionApi(SimulatedServer server) {
        super(server);
        String version = server.spec().version();
        this.v2 = !version.startsWith("1.");
        this.since23 = v2 && !version.matches("^2\\.[0-2]\\..*");
        this.answers = new EvolutionAnswers(server, this);
        this.calls = new EvolutionInstanceCalls(server, this, answers, v2);
        this.webhooks = new EvolutionWebhooks(server, calls, answers);
        this.sends = new EvolutionSends(server, v2);
    }

    @Override
    java.util.List<WebhookOut.Outgoing> webhooks(
            Session session, Session.State from, Session.State to, java.time.Instant at) {
        return webhooks.of(session, from, to, at);
    }

    @Override
    java.util.List<WebhookOut.Outgoing> ackWebhooks(
            Session session, String messageId, String chatId, int ack, java.time.Instant at) {
        return webhooks.ack(session, messageId, chatId, ack, at);
    }

    @Override
    String apiKeyHeader() {
        return "apikey";
    }

    /** The welcome page has no guard; every router behind it has authGuard.apikey (2.3.6 index.router.ts). */
    @Override
    boolean checksKey(Request request) {
        return !request.is("GET");
    }

    /** UnauthorizedException without arguments: message 'Unauthorized', not an array (2.3.6 401.exception.ts). */
    @Override
    Reply unauthorized() {
        return Reply.json(
                401,
                Json.object(
                        "status", 401, "error", "Unauthorized", "response", Json.object("message", "Unauthorized")));
    }

    boolean v2() {
        return v2;
    }

    boolean since23() {
        return since23;
    }

    /** The instance's own API key, which v2's rows show. */
    String token(Session session) {
        return calls.token(session);
    }

    @Override
    Reply handle(Request request) {
        if (request.is("GET")) {
            return Reply.ok(welcome());
        }
        if (request.is("POST", "instance", "create")) {
            return calls.create(request.json());
        }
        if (request.is("GET", "instance", "fetchInstances")) {
            return fetchInstances(request.query().get("instanceName"));
        }
        if (request.is("POST", "message", "sendText", "*")) {
            return sends.sendText(request.segment(2), request.json());
        }
        if (request.segments().size() == 3 && request.segment(0).equals("instance")) {
            Optional<Reply> reply = calls.handle(request.method(), request.segment(1), request.segment(2));
            if (reply.isPresent()) {
                return reply.get();
            }
        }
        return error(404, "Not Found", "Cannot " + request.method() + " /" + String.join("/", request.segments()));
    }

    /**
     * GET / (1.8.2 has swagger; 2.x clientName instead; 2.3.0 adds the WhatsApp Web version it fetched), with no key.
     */
    private Map<String, Object> welcome() {
        String base = server.baseUrl();
        return Json.object(
                "status",
                200,
                "message",
                "Welcome to the Evolution API, it is working!",
                "version",
                server.spec().version(),
                "swagger",
                v2 ? Json.UNDEFINED : base + "/docs",
                "clientName",
                v2 ? "evolution_exchange" : Json.UNDEFINED,
                "manager",
                base + "/manager",
                "documentation",
                "https://doc.evolution-api.com",
                "whatsappWebVersion",
                since23 ? "2.3000.1025190524" : Json.UNDEFINED);
    }

    /**
     * v2: the stored instance rows (2.3.6 {@code WAMonitoringService.instanceInfo}, prisma {@code Instance}), the
     * connection state as stored ({@link Session#settled}); v1.8: {@code {instance: {instanceName, instanceId,
     * status}}} with the live state, one object (not a list) when a name is asked (1.8.2 {@code instanceInfo}).
     */
    private Reply fetchInstances(String only) {
        if (only != null && server.sessions().find(only).isEmpty()) {
            return error(404, "Not Found", "Instance \"" + only + "\" not found");
        }
        List<Object> instances = server.sessions().all().stream()
                .filter(session -> only == null || only.equals(session.accountId()))
                .map(session -> v2 ? answers.row(session) : (Object) answers.v1Info(session))
                .toList();
        return Reply.ok(!v2 && only != null ? instances.get(0) : instances);
    }

    /** Baileys' live state: open, connecting (starting, waiting for a scan, reconnecting) or close. */
    String live(Session session) {
        return switch (server.sessions().stateOf(session)) {
            case STARTING, SCAN_QR_CODE, RECONNECTING -> "connecting";
            case WORKING -> "open";
            case STOPPED, FAILED -> "close";
        };
    }

    /** v2's stored connectionStatus. */
    String stored(Session session) {
        return switch (server.sessions().settledOf(session)) {
            case SCAN_QR_CODE -> "connecting";
            case WORKING -> "open";
            default -> "close";
        };
    }

    /** A thrown exception as main.ts renders it: the message is the array of arguments it was thrown with. */
    static Reply error(int status, String error, String message) {
        return Reply.json(
                status,
                Json.object("status", status, "error", error, "response", Json.object("message", List.of(message))));
    }
}
