package io.wafleet.demo;

import io.wafleet.schemas.ApiKeyCipher;
import io.wafleet.service.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./wafleet reencrypt-keys}: see {@link KeyReencryption}. */
@Command(
        name = "reencrypt-keys",
        mixinStandardHelpOptions = true,
        description = "Re-encrypts every server's stored API key with WAFLEET_API_KEY_ENCRYPTION_KEY, bound to the"
                + " server's id and origin; WAFLEET_API_KEY_OLD_KEYS (comma-separated) holds the keys they were"
                + " sealed with. Exits 1 if a key could not be opened.")
final class ReencryptKeysCommand implements Callable<Integer> {

    @Option(names = "--dry-run", description = "Say what would be re-encrypted; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        String current = System.getenv("WAFLEET_API_KEY_ENCRYPTION_KEY");
        String database = System.getenv("DATABASE_URL");
        if (current == null || current.isBlank() || database == null || database.isBlank()) {
            System.err.println("set WAFLEET_API_KEY_ENCRYPTION_KEY (the new key) and DATABASE_URL");
            return 2;
        }
        List<String> old = Arrays.asList(
                System.getenv().getOrDefault("WAFLEET_API_KEY_OLD_KEYS", "").split(","));
        ApiKeyCipher cipher = ApiKeyCipher.ring(current, old);
        DatabaseUrl url = DatabaseUrl.parse(database);
        try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            KeyReencryption.Result result = KeyReencryption.run(connection, cipher, dryRun);
            System.out.printf(
                    "%s %d API key(s) to key %s; %d already current%n",
                    dryRun ? "would re-encrypt" : "re-encrypted",
                    result.reencrypted(),
                    cipher.currentKeyId(),
                    result.current());
            result.failures().forEach(failure -> System.err.println("not re-encrypted: " + failure));
            return result.failures().isEmpty() ? 0 : 1;
        }
    }
}
