package io.wafleet.router.admin;

/** What a server form says of the API key: nothing (keep it), clear it ({@code "apiKey": null}), or a new one. */
sealed interface ApiKeyChange {

    /** The body field, for a 400 naming it ({@code servers[2].apiKey}). */
    String field();

    record Keep(String field) implements ApiKeyChange {}

    record Clear(String field) implements ApiKeyChange {}

    /** A new key in plaintext: held only until it is encrypted, never shown. */
    record Given(String field, String plaintext) implements ApiKeyChange {
        @Override
        public String toString() {
            return "Given[field=" + field + ", plaintext=***]";
        }
    }
}
