package io.wafleet.router.api;

/** The token of an {@code Authorization: Bearer <token>} header, for the API's tokens and the servers' webhooks. */
public final class BearerToken {

    private BearerToken() {}

    /** The token, or null when the header is absent, of another scheme, or empty. */
    public static String of(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
