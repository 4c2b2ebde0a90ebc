package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a WAHA server says of itself at {@code GET /api/server/version}: its version ({@code YYYY.M.BUILD}), engine
 * and tier. Source: devlikeapro/waha 2024.10.8 {@code src/api/server.controller.ts} ({@code get()} returns
 * {@code VERSION}) and {@code src/version.ts} (tier {@code CORE} or {@code PLUS}); the endpoint exists since 2024.9.1
 * (before it only {@code /api/version}, 2024.8.5 {@code src/api/version.controller.ts}).
 *
 * @param version as reported
 * @param tier CORE (one session, named {@code default}) or PLUS (many)
 * @param engine WEBJS, NOWEB, ...
 */
record WahaServer(String version, String tier, String engine) {

    /** The first version with /api/server/status and /api/server/version, the calls wafleet makes. */
    static final int FIRST_YEAR = 2024;

    static final int FIRST_MONTH = 9;

    private static final Pattern CALENDAR = Pattern.compile("^(\\d{4})\\.(\\d{1,2})(?:\\.\\d+)?");

    static WahaServer of(JsonNode json) {
        return new WahaServer(Json.required(json, "version"), Json.required(json, "tier"), Json.text(json, "engine"));
    }

    /** WAHA Core hosts exactly one session, {@code default} ({@code SessionManagerCore.onlyDefault()}). */
    boolean core() {
        return "CORE".equals(tier);
    }

    /** Why wafleet cannot work with this server, or null when it can. */
    String unsupported() {
        if (!core() && !"PLUS".equals(tier)) {
            return "WAHA tier '" + tier + "' is neither CORE nor PLUS";
        }
        Matcher calendar = CALENDAR.matcher(version);
        if (!calendar.find()) {
            return "WAHA version '" + version + "' is not of the form YYYY.M.BUILD";
        }
        int year = Integer.parseInt(calendar.group(1));
        int month = Integer.parseInt(calendar.group(2));
        if (year < FIRST_YEAR || (year == FIRST_YEAR && month < FIRST_MONTH)) {
            return "WAHA " + version + " is older than 2024.9, the first version wafleet supports";
        }
        return null;
    }
}
