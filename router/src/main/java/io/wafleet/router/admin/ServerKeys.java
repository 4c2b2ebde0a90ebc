package io.wafleet.router.admin;

import io.wafleet.avro.Protocol;
import io.wafleet.client.ServerConfigRules;
import io.wafleet.router.api.BadField;
import io.wafleet.schemas.ApiKeyCipher;
import java.util.Locale;

/**
 * The API key ciphertext a server row gets: a new key sealed to the server's id and origin, the stored one while the
 * origin (protocol, hostname, port) stays the same, or none. When the origin changes, the stored key no longer
 * decrypts (it is bound to the old origin), so the form must give the key again or clear it.
 */
final class ServerKeys {

    /** What the row holds now: its origin and ciphertext. */
    record Stored(ApiKeyCipher.Binding binding, String ciphertext) {}

    private final ApiKeyCipher cipher;

    /** @param cipher null when the router has no encryption key: then no key can be given */
    ServerKeys(ApiKeyCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * @param id the server's id (new or existing)
     * @param stored the row as it is, or null for a new server
     */
    String ciphertext(String id, ServerForm form, Stored stored) {
        ApiKeyCipher.Binding binding = ApiKeyCipher.Binding.of(id, form.protocol(), form.hostname(), form.port());
        String ciphertext = sealed(form.apiKey(), binding, stored);
        ServerConfigRules.keyOverHttp(
                        Protocol.valueOf(form.protocol().toUpperCase(Locale.ROOT)),
                        form.trustedNetwork(),
                        ciphertext != null)
                .ifPresent(violation -> {
                    throw new BadField(form.apiKey().field(), violation.problem());
                });
        return ciphertext;
    }

    private String sealed(ApiKeyChange change, ApiKeyCipher.Binding binding, Stored stored) {
        if (change instanceof ApiKeyChange.Given given) {
            if (cipher == null) {
                throw new BadField(
                        given.field(),
                        "cannot be stored: the router has no WAFLEET_API_KEY_ENCRYPTION_KEY to encrypt it with");
            }
            return cipher.encrypt(given.plaintext(), binding);
        }
        if (change instanceof ApiKeyChange.Clear || stored == null || stored.ciphertext() == null) {
            return null;
        }
        if (!stored.binding().equals(binding)) {
            throw new BadField(
                    change.field(),
                    "the server's protocol, hostname or port changed, and its stored key is bound to the old ones:"
                            + " give the key again, or clear it with \"apiKey\": null");
        }
        return stored.ciphertext();
    }
}
