package io.wafleet.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** DATABASE_URL in the seed's form becomes a JDBC URL and credentials; the password never shows in text. */
class DatabaseUrlTest {

    @Test
    void theSeedsFormBecomesJdbcAndCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://user:password@localhost:5432/whatsapp_manager");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/whatsapp_manager");
        assertThat(url.user()).isEqualTo("user");
        assertThat(url.password()).isEqualTo("password");
    }

    @Test
    void portDefaultsTo5432AndQueryParametersAndEscapesAreKept() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://ops:p%40ss%3Aword@db.internal/fleet?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/fleet?sslmode=require");
        assertThat(url.user()).isEqualTo("ops");
        assertThat(url.password()).isEqualTo("p@ss:word");
    }

    @Test
    void aJdbcUrlIsTakenAsItIs() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://localhost:5433/wafleet?user=postgres");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5433/wafleet?user=postgres");
        assertThat(url.user()).isNull();
    }

    @Test
    void thePasswordNeverAppearsInTextOrErrors() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://user:s3cret@localhost:5432/db");

        assertThat(url.toString()).doesNotContain("s3cret").contains("password=***");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://user:s3cret@localhost/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with postgresql://")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://user:s3cret@/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret");
    }
}
