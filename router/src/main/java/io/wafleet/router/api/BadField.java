package io.wafleet.router.api;

/** A request parameter or body field that is not acceptable: answered with a 400 problem naming it. */
final class BadField extends RuntimeException {

    private final String field;

    BadField(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}
