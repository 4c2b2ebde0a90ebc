package io.wafleet.simulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What changed between the WAHA releases the simulator copies, read from its version {@code YYYY.M.BUILD}. Each
 * change is dated by the first devlikeapro/waha tag that has it (tags 2024.8.5 through 2024.10.8 compared).
 */
record WahaRelease(int year, int month, int build) {

    private static final Pattern CALENDAR = Pattern.compile("^(\\d{4})\\.(\\d{1,2})(?:\\.(\\d+))?");

    static WahaRelease of(String version) {
        Matcher calendar = CALENDAR.matcher(version);
        if (!calendar.find()) {
            throw new IllegalArgumentException("a WAHA version is YYYY.M.BUILD, was " + version);
        }
        return new WahaRelease(
                Integer.parseInt(calendar.group(1)),
                Integer.parseInt(calendar.group(2)),
                calendar.group(3) == null ? 0 : Integer.parseInt(calendar.group(3)));
    }

    private boolean since(int y, int m, int b) {
        return year != y ? year > y : month != m ? month > m : build >= b;
    }

    /** /api/server/status and /api/server/version: 2024.9.1 {@code src/api/server.controller.ts}; before, only /api/version. */
    boolean hasServerApi() {
        return since(2024, 9, 1);
    }

    /**
     * The QR endpoint waits up to 5 s for SCAN_QR_CODE, then 422 with an object (2024.9.6 {@code QRCodeSessionPipe},
     * {@code SessionManager.waitUntilStatus}); up to 2024.9.5 it answers 422 at once with a message.
     */
    boolean qrWaitsForStatus() {
        return since(2024, 9, 6);
    }

    /**
     * POST /start calls the manager's start even when the session runs, which Core refuses with 422 "already started"
     * (2024.10.5 sessions.controller.ts); up to 2024.10.4 the controller starts it only when it is not running.
     */
    boolean startRefusesRunning() {
        return since(2024, 10, 5);
    }

    /**
     * GET /api/sessions/{name} answers 404 for Core's removed session and adds {@code engine} (2024.9.6
     * {@code getSessionInfo}); up to 2024.9.5 a removed session is 200 with an empty body, without engine.
     */
    boolean detailedInfo() {
        return since(2024, 9, 6);
    }

    /** /api/server/status has {@code worker: {id}} since 2024.10.5 ({@code ServerStatusResponse}). */
    boolean workerInStatus() {
        return since(2024, 10, 5);
    }
}
