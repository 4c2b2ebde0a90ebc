package io.wafleet.platform.junit;

import io.wafleet.service.DatabaseUrl;
import java.util.Optional;

/**
 * Where integration tests find Kafka and PostgreSQL: {@code WAFLEET_TEST_KAFKA} (bootstrap servers) and
 * {@code WAFLEET_TEST_DATABASE_URL} (postgresql://user:password@host:port/db or a JDBC URL) point them at real
 * external ones; unset, the embedded ones start.
 */
record TestEnvironment(Optional<String> kafka, Optional<DatabaseUrl> database) {

    static final String KAFKA_VARIABLE = "WAFLEET_TEST_KAFKA";
    static final String DATABASE_VARIABLE = "WAFLEET_TEST_DATABASE_URL";

    static TestEnvironment fromSystem() {
        return new TestEnvironment(
                value(KAFKA_VARIABLE), value(DATABASE_VARIABLE).map(DatabaseUrl::parse));
    }

    private static Optional<String> value(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            value = System.getProperty(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
