package io.wafleet.service;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Every service accepts the seed's {@code DATABASE_URL=postgresql://user:password@host:port/db}: sets the Spring datasource URL,
 * user and password from it, unless {@code spring.datasource.url} is set explicitly (on the command line, in the
 * environment, as a system property): a service's own application.yaml default does not count.
 */
public final class DatabaseUrlEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("DATABASE_URL");
        if (url == null || url.isBlank() || explicitDatasourceUrl(environment)) {
            return;
        }
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", parsed.jdbcUrl());
        if (parsed.user() != null) {
            properties.put("spring.datasource.username", parsed.user());
        }
        if (parsed.password() != null) {
            properties.put("spring.datasource.password", parsed.password());
        }
        environment.getPropertySources().addFirst(new MapPropertySource("DATABASE_URL", properties));
    }

    /** Runs after the config files are read, so their defaults are in the environment: those are not explicit. */
    private static boolean explicitDatasourceUrl(ConfigurableEnvironment environment) {
        return environment.getPropertySources().stream()
                .filter(source -> !source.getName().startsWith("Config resource")
                        // The view over all the others.
                        && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source))
                .anyMatch(source -> source.containsProperty("spring.datasource.url"));
    }
}
