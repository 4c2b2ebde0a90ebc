package io.wafleet.platform.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs the real Kafka broker and PostgreSQL: its test methods and constructor may take a
 * {@link io.wafleet.platform.kafka.KafkaCluster} and a {@link io.wafleet.platform.postgres.PostgresDatabase}.
 * Each starts once per test JVM, on first use.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(WafleetInfrastructureExtension.class)
public @interface WafleetIntegrationTest {}
