package io.wafleet.demo;

import io.wafleet.schemas.ApiKeyCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-seals every stored API key with the ring's current key, bound to its server's id and origin: after a key
 * rotation (the old key in {@code WAFLEET_API_KEY_OLD_KEYS}), and to bind keys written in the older {@code v1:} form.
 * Each row is updated only if its ciphertext is still the one read (a concurrent admin change wins), as
 * {@code updated_by = 'wafleet reencrypt-keys'}, so CDC carries the new ciphertext to every service. A key that does
 * not open (bound to another server or origin, or sealed with a key outside the ring) is reported and left as it is.
 */
final class KeyReencryption {

    static final String ACTOR = "wafleet reencrypt-keys";

    /** What a run did: keys re-sealed, keys already current, and the servers whose key did not open. */
    record Result(int reencrypted, int current, List<String> failures) {}

    private KeyReencryption() {}

    static Result run(Connection connection, ApiKeyCipher cipher, boolean dryRun) throws SQLException {
        int reencrypted = 0;
        int current = 0;
        List<String> failures = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                        "SELECT id, name, protocol, hostname, port,"
                                + " api_key_ciphertext FROM server_configs WHERE api_key_ciphertext IS NOT NULL ORDER BY name");
                PreparedStatement update = connection.prepareStatement("UPDATE server_configs SET"
                        + " api_key_ciphertext = ?, version = version + 1, updated_at = now(), updated_by = ?"
                        + " WHERE id = ? AND api_key_ciphertext = ?");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String ciphertext = rows.getString("api_key_ciphertext");
                if (cipher.isCurrent(ciphertext)) {
                    current++;
                    continue;
                }
                String id = rows.getString("id");
                ApiKeyCipher.Binding binding = ApiKeyCipher.Binding.of(
                        id, rows.getString("protocol"), rows.getString("hostname"), rows.getInt("port"));
                String resealed;
                try {
                    resealed = cipher.encrypt(cipher.decrypt(ciphertext, binding), binding);
                } catch (IllegalArgumentException e) {
                    failures.add(rows.getString("name") + " (" + id + "): " + e.getMessage());
                    continue;
                }
                if (!dryRun) {
                    update.setString(1, resealed);
                    update.setString(2, ACTOR);
                    update.setString(3, id);
                    update.setString(4, ciphertext);
                    if (update.executeUpdate() == 0) {
                        failures.add(rows.getString("name") + " (" + id + "): changed while re-encrypting; run again");
                        continue;
                    }
                }
                reencrypted++;
            }
        }
        return new Result(reencrypted, current, failures);
    }
}
