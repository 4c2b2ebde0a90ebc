package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.ApiKeyCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** A key rotation: every stored key moves to the new key, bound; one that does not open is reported, not lost. */
@WafleetIntegrationTest
class KeyReencryptionTest {

    private static final String OLD = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String NEW = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void aRotationReencryptsEveryKeyWithTheNewOneAndReportsOneThatDoesNotOpen(PostgresDatabase shared)
            throws Exception {
        PostgresDatabase database = shared.createFreshDatabase("reencrypt");
        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        ApiKeyCipher before = ApiKeyCipher.fromBase64Key(OLD);
        ApiKeyCipher after = ApiKeyCipher.ring(NEW, List.of(OLD));
        try (Connection connection = database.dataSource().getConnection()) {
            insert(connection, "a", before.encrypt("key-a", binding("a")));
            insert(connection, "b", after.encrypt("key-b", binding("b")));
            // c holds a's ciphertext: bound to a, it does not open for c.
            insert(connection, "c", before.encrypt("key-c", binding("a")));

            KeyReencryption.Result dry = KeyReencryption.run(connection, after, true);
            String untouched = ciphertext(connection, "a");
            KeyReencryption.Result run = KeyReencryption.run(connection, after, false);
            KeyReencryption.Result again = KeyReencryption.run(connection, after, false);

            assertThat(dry.reencrypted()).isEqualTo(1);
            assertThat(before.decrypt(untouched, binding("a")))
                    .as("a dry run changes nothing")
                    .isEqualTo("key-a");
            assertThat(run.reencrypted()).isEqualTo(1);
            assertThat(run.current()).isEqualTo(1);
            assertThat(run.failures())
                    .singleElement()
                    .asString()
                    .startsWith("c (c): ")
                    .doesNotContain("key-c");
            assertThat(after.isCurrent(ciphertext(connection, "a"))).isTrue();
            assertThat(ApiKeyCipher.fromBase64Key(NEW).decrypt(ciphertext(connection, "a"), binding("a")))
                    .as("the old key is no longer needed for a")
                    .isEqualTo("key-a");
            assertThat(text(connection, "SELECT updated_by || ' ' || version FROM server_configs WHERE id = 'a'"))
                    .isEqualTo(KeyReencryption.ACTOR + " 2");
            assertThat(again.reencrypted()).isZero();
            assertThat(again.current()).isEqualTo(2);
        }
    }

    private static ApiKeyCipher.Binding binding(String id) {
        return ApiKeyCipher.Binding.of(id, "https", id + ".example.net", 443);
    }

    private static void insert(Connection connection, String id, String ciphertext) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO server_configs (id, name, hostname,"
                + " port, environment, api_key_ciphertext) VALUES (?, ?, ?, 443, 'production', ?)")) {
            insert.setString(1, id);
            insert.setString(2, id);
            insert.setString(3, id + ".example.net");
            insert.setString(4, ciphertext);
            insert.executeUpdate();
        }
    }

    private static String ciphertext(Connection connection, String id) throws Exception {
        return text(connection, "SELECT api_key_ciphertext FROM server_configs WHERE id = '" + id + "'");
    }

    private static String text(Connection connection, String sql) throws Exception {
        try (PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getString(1);
        }
    }
}
