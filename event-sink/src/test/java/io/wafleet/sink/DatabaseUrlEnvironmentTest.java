package io.wafleet.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.service.DatabaseUrlEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** The seed's DATABASE_URL configures the datasource, unless spring.datasource.url is set. */
class DatabaseUrlEnvironmentTest {

    @Test
    void theSeedsDatabaseUrlBecomesTheDatasource() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("DATABASE_URL", "postgresql://user:password@localhost:5432/whatsapp_manager");

        new DatabaseUrlEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://localhost:5432/whatsapp_manager");
        assertThat(environment.getProperty("spring.datasource.username")).isEqualTo("user");
        assertThat(environment.getProperty("spring.datasource.password")).isEqualTo("password");
    }

    @Test
    void anExplicitDatasourceUrlWins() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("DATABASE_URL", "postgresql://user:password@elsewhere:5432/db")
                .withProperty("spring.datasource.url", "jdbc:postgresql://here:5432/db");

        new DatabaseUrlEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://here:5432/db");
    }

    @Test
    void theDatabaseUrlWinsOverAServicesOwnConfigFile() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("DATABASE_URL", "postgresql://user:password@db.internal:5432/whatsapp_manager");
        environment
                .getPropertySources()
                .addLast(new org.springframework.core.env.MapPropertySource(
                        "Config resource 'class path resource [application.yaml]' via location 'optional:classpath:/'",
                        java.util.Map.of("spring.datasource.url", "jdbc:postgresql://localhost:5432/wafleet")));
        org.springframework.boot.context.properties.source.ConfigurationPropertySources.attach(environment);

        new DatabaseUrlEnvironment().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("spring.datasource.url"))
                .isEqualTo("jdbc:postgresql://db.internal:5432/whatsapp_manager");
    }
}
