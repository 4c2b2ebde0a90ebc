package io.wafleet.simulator;

import java.util.Map;

/**
 * The bodies Evolution answers with: create's (2.3.6 and 1.8.2 {@code InstanceController.createInstance}), the
 * instance rows of fetchInstances (2.3.6 prisma {@code Instance}; 1.8.2 {@code WAMonitoringService.instanceInfo}) and
 * {@code instance.qrCode} (2.3.6 {@code BaileysStartupService.qrCode}).
 */
final class EvolutionAnswers {

    private final SimulatedServer server;
    private final EvolutionApi api;

    EvolutionAnswers(SimulatedServer server, EvolutionApi api) {
        this.server = server;
        this.api = api;
    }

    Map<String, Object> createdV2(Session session, String integration, String token, Object qr) {
        return Json.object(
                "instance",
                        Json.object(
                                "instanceName",
                                session.accountId(),
                                "instanceId",
                                session.connectionId(),
                                "integration",
                                integration,
                                "webhookWaBusiness",
                                null,
                                "accessTokenWaBusiness",
                                "",
                                "status",
                                api.live(session)),
                "hash", token,
                "webhook", Json.object(),
                "websocket", Json.object(),
                "rabbitmq", Json.object(),
                "nats", api.since23() ? Json.object() : Json.UNDEFINED,
                "sqs", Json.object(),
                "settings",
                        Json.object(
                                "rejectCall", false,
                                "msgCall", "",
                                "groupsIgnore", false,
                                "alwaysOnline", false,
                                "readMessages", false,
                                "readStatus", false,
                                "syncFullHistory", false,
                                "wavoipToken", ""),
                "qrcode", qr);
    }

    /** 1.8.2: status 'created', hash {apikey}, snake_case fields. */
    Map<String, Object> createdV1(Session session, String integration, String token, Object qr) {
        return Json.object(
                "instance",
                        Json.object(
                                "instanceName",
                                session.accountId(),
                                "instanceId",
                                session.connectionId(),
                                "integration",
                                integration,
                                "webhook_wa_business",
                                null,
                                "access_token_wa_business",
                                "",
                                "status",
                                "created"),
                "hash", Json.object("apikey", token),
                "webhook", Json.object(),
                "websocket", Json.object(),
                "rabbitmq", Json.object(),
                "sqs", Json.object(),
                "typebot", Json.object("enabled", false),
                "settings",
                        Json.object(
                                "reject_call", false,
                                "msg_call", "",
                                "groups_ignore", true,
                                "always_online", false,
                                "read_messages", false,
                                "read_status", false,
                                "sync_full_history", false),
                "qrcode", qr);
    }

    Map<String, Object> row(Session session) {
        boolean open = server.sessions().settledOf(session) == Session.State.WORKING;
        return Json.object(
                "id",
                session.connectionId(),
                "name",
                session.accountId(),
                "connectionStatus",
                api.stored(session),
                "ownerJid",
                open ? session.accountId() + "@s.whatsapp.net" : null,
                "profileName",
                open ? session.name() : null,
                "profilePicUrl",
                null,
                "integration",
                "WHATSAPP-BAILEYS",
                "number",
                null,
                "businessId",
                null,
                "token",
                api.token(session),
                "clientName",
                "evolution_exchange",
                "disconnectionReasonCode",
                null,
                "disconnectionObject",
                null,
                "disconnectionAt",
                null,
                "createdAt",
                session.createdAt().toString(),
                "updatedAt",
                session.createdAt().toString(),
                "Chatwoot",
                null,
                "Proxy",
                null,
                "Rabbitmq",
                null,
                "Nats",
                api.since23() ? null : Json.UNDEFINED,
                "Sqs",
                null,
                "Websocket",
                null,
                "Setting",
                null,
                "_count",
                Json.object("Message", 0, "Contact", 0, "Chat", 0));
    }

    Map<String, Object> v1Info(Session session) {
        String state = api.live(session);
        return Json.object(
                "instance",
                Json.object(
                        "instanceName",
                        session.accountId(),
                        "instanceId",
                        session.connectionId(),
                        "owner",
                        state.equals("open") ? session.accountId() + "@s.whatsapp.net" : Json.UNDEFINED,
                        "profileName",
                        state.equals("open") ? session.name() : Json.UNDEFINED,
                        "status",
                        state));
    }

    /**
     * {@code instance.qrCode}: {pairingCode, code, base64, count}; before the first QR only {@code count: 0}; after it
     * the last QR stays, also while connected or reconnecting (nothing clears it until the QR limit).
     */
    Map<String, Object> qrCode(Session session) {
        if (session.qrCount() == 0) {
            return Json.object("count", 0);
        }
        String text = session.qrText();
        return Json.object(
                "pairingCode",
                null,
                "code",
                text,
                "base64",
                // The QR as EvolutionAPI/evolution-api 2.3.6 answers it: its text and a PNG data URL of it (drawn by
                // QrImages).
                server.qrImages().dataUrl(text),
                "count",
                session.qrCount());
    }
}
