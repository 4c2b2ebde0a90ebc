package io.wafleet.router.api;

/**
 * A request parameter or body field that is missing or not acceptable, with its path ({@code servers[1].port}):
 * answered with a 400 problem naming it.
 */
public final class BadField extends RuntimeException {

    private final String field;

    public BadField(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
