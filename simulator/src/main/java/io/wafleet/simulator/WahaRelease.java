package io.wafleet.simulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What changed between the WAHA releases the simulator copies (devlikeapro/waha tags 2024.8.5, 2024.9.1, 2024.10.8),
 * read from its version {@code YYYY.M.BUILD}.
 */
record WahaRelease(int year, int month) {

    private static final Pattern CALENDAR = Pattern.compile("^(\\d{4})\\.(\\d{1,2})");

    static WahaRelease of(String version) {
        Matcher calendar = CALENDAR.matcher(version);
        if (!calendar.find()) {
            throw new IllegalArgumentException("a WAHA version is YYYY.M.BUILD, was " + version);
        }
        return new WahaRelease(Integer.parseInt(calendar.group(1)), Integer.parseInt(calendar.group(2)));
    }

    private boolean since(int y, int m) {
        return year > y || (year == y && month >= m);
    }

    /** /api/server/status and /api/server/version: 2024.9.1 {@code src/api/server.controller.ts}; before, only /api/version. */
    boolean hasServerApi() {
        return since(2024, 9);
    }

    /**
     * The QR endpoint waits up to 5 s for SCAN_QR_CODE, then 422 with an object (2024.10.8 {@code QRCodeSessionPipe},
     * {@code SessionManager.waitUntilStatus}); 2024.9.1 answers 422 at once with a message.
     */
    boolean qrWaitsForStatus() {
        return since(2024, 10);
    }

    /**
     * POST /start calls the manager's start even when the session runs, which Core refuses with 422 "already started"
     * (2024.10.8 sessions.controller.ts); 2024.9.1's controller starts it only when it is not running.
     */
    boolean startRefusesRunning() {
        return since(2024, 10);
    }

    /**
     * GET /api/sessions/{name} answers 404 for Core's removed session and adds {@code engine} (2024.10.8
     * {@code getSessionInfo}); 2024.9.1 answers 200 with an empty body for a removed session, without engine.
     */
    boolean detailedInfo() {
        return since(2024, 10);
    }

    /** /api/server/status has {@code worker: {id}} since 2024.10 (2024.10.8 {@code ServerStatusResponse}). */
    boolean workerInStatus() {
        return since(2024, 10);
    }
}
