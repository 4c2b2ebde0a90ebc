package io.wafleet.router.api;

import jakarta.servlet.http.HttpServletRequest;

/** The name of the token a request was authenticated with: the actor the audit records for what it changes. */
public final class Actor {

    /** The request attribute the token check sets. */
    public static final String ATTRIBUTE = "io.wafleet.router.actor";

    private Actor() {}

    /** The request's actor; {@code anonymous} for an open call. */
    public static String of(HttpServletRequest request) {
        Object actor = request.getAttribute(ATTRIBUTE);
        return actor == null ? "anonymous" : actor.toString();
    }
}
