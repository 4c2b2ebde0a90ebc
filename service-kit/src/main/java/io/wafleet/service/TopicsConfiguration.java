package io.wafleet.service;

import io.wafleet.schemas.SchemaRegistrySettings;
import io.wafleet.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link Topics} of every wafleet service, from its {@link WafleetProperties}: single-object encoded, or, with
 * {@code SCHEMA_REGISTRY_URL} set, in the Confluent wire format with that registry (see
 * {@link SchemaRegistrySettings}); the schemas are registered before any client starts.
 */
@AutoConfiguration
@ConditionalOnBean(WafleetProperties.class)
public class TopicsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TopicsConfiguration.class);

    @Bean
    Topics topics(WafleetProperties wafleet, Environment environment) {
        return SchemaRegistrySettings.from(environment::getProperty)
                .map(settings -> {
                    log.info("schema registry mode: {}", settings);
                    return Topics.withRegistry(wafleet.topics(), settings);
                })
                .orElseGet(() -> new Topics(wafleet.topics()));
    }
}
