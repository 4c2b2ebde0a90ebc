package io.wafleet.router.auth;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The least role each call under {@code /api/} needs, decided on the routed path (in lower case, so no spelling of a
 * path needs less than its canonical one). Deny by default: a write needs {@code admin} unless it is an account
 * operation, a read needs {@code reader} unless public reads are turned on; only the ping is open, and the servers'
 * webhooks, which carry no API token but their server's own secret, checked by the receiver itself.
 */
public final class AccessRules {

    /** Account operations: connect, disconnect, migrate, refresh-qr, bulk, drain, the demo's fault buttons. */
    private static final Pattern OPERATOR_WRITES =
            Pattern.compile("/api/v1/(accounts/.*|bulk/.*|servers/[^/]+/drain/?|demo/.*)");

    private static final Pattern OPEN = Pattern.compile("/api/v1/ping/?");

    /** A server's deliveries: {@code WebhookController} refuses any without its server's secret. */
    private static final Pattern WEBHOOK = Pattern.compile("/api/v1/webhooks/[^/]+/?");

    private final boolean publicReads;

    /** @param publicReads whether reads ({@code GET}, {@code HEAD}) are answered without a token */
    public AccessRules(boolean publicReads) {
        this.publicReads = publicReads;
    }

    /** The role the call needs, or null when it is open to anyone. */
    public Role required(String method, String routedPath) {
        String path = routedPath.toLowerCase(Locale.ROOT);
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (read) {
            return publicReads || OPEN.matcher(path).matches() ? null : Role.READER;
        }
        if (method.equals("POST") && WEBHOOK.matcher(path).matches()) {
            return null;
        }
        return OPERATOR_WRITES.matcher(path).matches() ? Role.OPERATOR : Role.ADMIN;
    }
}
