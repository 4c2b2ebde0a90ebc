package io.wafleet.platform.junit;

import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.schemas.DatabaseUrl;
import java.nio.file.Path;

/** The test JVM's PostgreSQL: the external database when configured, else an embedded server. */
final class SharedPostgres implements AutoCloseable {

    private final PostgresDatabase database;
    private final EmbeddedPostgres embedded;
    private final Path dataDir;

    private SharedPostgres(PostgresDatabase database, EmbeddedPostgres embedded, Path dataDir) {
        this.database = database;
        this.embedded = embedded;
        this.dataDir = dataDir;
    }

    static SharedPostgres start(TestEnvironment environment) {
        if (environment.database().isPresent()) {
            DatabaseUrl url = environment.database().get();
            return new SharedPostgres(new PostgresDatabase(url.jdbcUrl(), url.user(), url.password()), null, null);
        }
        Path dataDir = TestFolders.create("wafleet-postgres");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir);
        return new SharedPostgres(postgres.database(), postgres, dataDir);
    }

    PostgresDatabase database() {
        return database;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
            TestFolders.delete(dataDir);
        }
    }
}
