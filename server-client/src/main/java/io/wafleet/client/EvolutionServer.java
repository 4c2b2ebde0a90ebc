package io.wafleet.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Evolution API server's version, from {@code GET /} ({@code version: packageJson.version}; EvolutionAPI/evolution-api
 * 2.3.6 and 1.8.2 {@code src/api/routes/index.router.ts}). The answers wafleet reads differ between v1.8 and v2.
 *
 * @param version as reported
 */
record EvolutionServer(String version) {

    private static final Pattern SEMVER = Pattern.compile("^v?(\\d+)\\.(\\d+)");

    /** v2 answers: fetchInstances items are the instance rows; create's status is the connection state. */
    boolean v2() {
        return major() == 2;
    }

    /** Why wafleet cannot work with this server, or null when it can: it speaks v1.8.x and v2.x. */
    String unsupported() {
        Matcher semver = SEMVER.matcher(version);
        if (!semver.find()) {
            return "Evolution API version '" + version + "' is not a version number";
        }
        int major = Integer.parseInt(semver.group(1));
        int minor = Integer.parseInt(semver.group(2));
        if (major == 2 || (major == 1 && minor == 8)) {
            return null;
        }
        return "Evolution API " + version + " is not supported: wafleet speaks v1.8 and v2.x";
    }

    private int major() {
        Matcher semver = SEMVER.matcher(version);
        return semver.find() ? Integer.parseInt(semver.group(1)) : 0;
    }
}
