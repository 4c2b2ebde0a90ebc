package io.wafleet.simulator;

import java.time.Duration;

/**
 * WAHA's QR call, GET /api/{session}/auth/qr (devlikeapro/waha 2024.10.8 {@code src/api/auth.controller.ts} getQR,
 * {@code src/nestjs/BufferResponseInterceptor.ts}; up to 2024.9.5 without the wait, see {@link WahaRelease}): the
 * session must run; the QR as JSON {@code {mimetype, data}} only for {@code Accept: application/json} exactly, as
 * {@code {value}} for {@code format=raw}, a PNG otherwise.
 */
final class WahaQr {

    /** waitUntilStatus: every 500 ms for at most 5 s (2024.10.8 {@code SessionManager.WAIT_STATUS_*}). */
    static final long QR_WAIT_STEP_MS = 500;

    static final long QR_WAIT_MAX_MS = 5000;

    private final SimulatedServer server;
    private final WahaRelease release;

    WahaQr(SimulatedServer server, WahaRelease release) {
        this.server = server;
        this.release = release;
    }

    Reply answer(String name, String format, String accept) {
        Session session = server.sessions().find(name).orElse(null);
        if (session == null || !running(server, session)) {
            return WahaApi.error(
                    404,
                    "Not Found",
                    "We didn't find a session with name '" + name + "'.\n"
                            + "Please start it first by using POST /api/sessions/" + name + "/start request");
        }
        long waited = 0;
        Session.State state = server.sessions().stateOf(session);
        if (state != Session.State.SCAN_QR_CODE && !release.qrWaitsForStatus()) {
            return WahaApi.error(
                    422,
                    "Unprocessable Entity",
                    "Can get QR code only in SCAN_QR_CODE status. The current status is '" + state + "'");
        }
        if (state == Session.State.STARTING) {
            long untilQr = Duration.between(
                            server.clock().instant(), session.stateSince().plus(Session.START_DELAY))
                    .toMillis();
            waited = Math.max(QR_WAIT_STEP_MS, (untilQr + QR_WAIT_STEP_MS - 1) / QR_WAIT_STEP_MS * QR_WAIT_STEP_MS);
            state = Session.State.SCAN_QR_CODE;
        }
        if (state != Session.State.SCAN_QR_CODE) {
            return WahaApi.notAsExpected(name, state.name(), "SCAN_QR_CODE").after(QR_WAIT_MAX_MS);
        }
        return qrAnswer(session, format, accept).after(waited);
    }

    private Reply qrAnswer(Session session, String format, String accept) {
        if ("raw".equals(format)) {
            return Reply.ok(Json.object("value", session.qrText()));
        }
        // devlikeapro/waha 2024.10.8 src/api/auth.controller.ts getQR: base64 JSON or the PNG itself (drawn by
        // QrImages).
        if ("application/json".equals(accept)) {
            return Reply.ok(Json.object(
                    "mimetype", "image/png", "data", server.qrImages().base64Png(session.qrText())));
        }
        return new Reply(200, "image/png", server.qrImages().png(session.qrText()));
    }

    private static boolean running(SimulatedServer server, Session session) {
        Session.State state = server.sessions().stateOf(session);
        return state != Session.State.STOPPED && state != Session.State.FAILED;
    }
}
