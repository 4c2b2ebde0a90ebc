package io.wafleet.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link KafkaClients} in every wafleet service, from Spring Boot's {@code spring.kafka.*} and the {@code KAFKA_*}
 * environment, to {@code KAFKA_BOOTSTRAP_SERVERS} ({@code wafleet.bootstrap-servers}). At start the cluster is asked to describe itself: credentials
 * it refuses (a wrong password, an untrusted certificate) fail start-up with the broker's reason, so the service exits
 * non-zero; a cluster that does not answer yet is waited for by the clients, as an outage is.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaProperties.class)
public class KafkaClientsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaClientsConfiguration.class);
    private static final Duration CHECK = Duration.ofSeconds(15);

    @Bean
    KafkaClients kafkaClients(KafkaProperties spring, Environment environment) {
        KafkaClients clients = new KafkaClients(
                System.getenv(),
                environment.getProperty("wafleet.bootstrap-servers", "localhost:9092"),
                spring.buildConsumerProperties(),
                spring.buildProducerProperties(),
                spring.buildAdminProperties(),
                spring.buildStreamsProperties());
        checkCredentials(clients);
        return clients;
    }

    /** A service that exits on a failure it cannot recover from reports liveness BROKEN (DOWN) first. */
    @Bean
    SmartInitializingSingleton livenessBeforeExit(ApplicationContext context) {
        return () -> ProcessExit.beforeExit(() -> AvailabilityChangeEvent.publish(context, LivenessState.BROKEN));
    }

    static void checkCredentials(KafkaClients clients) {
        try (Admin admin = Admin.create(clients.admin(Map.of()))) {
            admin.describeCluster().clusterId().get(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException || e.getCause() instanceof AuthorizationException) {
                throw new IllegalStateException(
                        "Kafka refused this service's credentials: "
                                + e.getCause().getMessage()
                                + " (check security.protocol, the SASL mechanism and JAAS config, the trust store)",
                        null);
            }
            log.warn(
                    "Kafka did not answer at start ({}); the clients keep trying",
                    e.getCause().toString());
        } catch (TimeoutException e) {
            log.warn("Kafka did not answer within {} s at start; the clients keep trying", CHECK.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka", e);
        }
    }
}
