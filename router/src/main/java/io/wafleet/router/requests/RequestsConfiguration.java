package io.wafleet.router.requests;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.router.accounts.AccountEvents;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.accounts.AccountStates;
import io.wafleet.router.accounts.Publisher;
import io.wafleet.router.lifecycle.Lifecycle;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The routers' consumer of wa.connection-requests, the REST calls' request-reply, and the accounts' readiness. */
@Configuration(proxyBeanMethods = false)
public class RequestsConfiguration {

    @Bean
    RequestConsumer requestConsumer(
            Topics topics,
            KafkaClients kafka,
            AccountSettings settings,
            Lifecycle lifecycle,
            AccountRegistry registry,
            AccountStates accountStates,
            Publisher publisher,
            String routerId,
            MeterRegistry meters) {
        Map<String, Object> config = kafka.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                settings.group(),
                ConsumerConfig.CLIENT_ID_CONFIG,
                routerId + "-requests",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                // Partitions that stay with an instance through a rebalance keep being handled without a pause.
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName()));
        return new RequestConsumer(
                new DefaultKafkaConsumerFactory<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                topics.connectionRequests(),
                topics.accountState(),
                lifecycle,
                registry,
                accountStates,
                publisher,
                settings,
                meters);
    }

    @Bean
    AccountRequests accountRequests(Publisher publisher, AccountRegistry registry, AccountEvents events) {
        return new AccountRequests(publisher, registry).answeringFrom(events, registry);
    }

    /**
     * Readiness: DOWN until the registry has read the account states that were there at start (holding only its own
     * partitions' accounts: until the group gave it its partitions and their states are read).
     */
    @Bean
    HealthIndicator accountsHealthIndicator(
            AccountStates accountStates,
            AccountEvents accountEvents,
            RequestConsumer requests,
            AccountRegistry registry) {
        return () -> {
            boolean up = accountStates.isRunning()
                    && accountStates.isCaughtUp()
                    && accountEvents.isRunning()
                    && requests.isRunning()
                    && requests.isSettled();
            return (up ? Health.up() : Health.down())
                    .withDetail("accounts", registry.size())
                    .withDetail("registryLoaded", accountStates.isCaughtUp())
                    .withDetail("requestPartitions", requests.ownedPartitions())
                    .build();
        };
    }
}
