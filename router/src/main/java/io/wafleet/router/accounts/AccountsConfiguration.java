package io.wafleet.router.accounts;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.client.ClientSettings;
import io.wafleet.client.ServerClients;
import io.wafleet.router.FleetState;
import io.wafleet.router.RouterProperties;
import io.wafleet.router.select.Selector;
import io.wafleet.router.select.ServerLoads;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import tools.jackson.databind.json.JsonMapper;

/** The account lifecycle's parts: registry, its reader, the request consumer, the lifecycle and their clients. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccountSettings.class)
public class AccountsConfiguration {

    /** This router instance's name, on the records it writes and as the probe id of its PASSIVE checks. */
    @Bean
    String routerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "router";
        }
        return "router-" + host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Bean
    AccountRegistry accountRegistry(ServerLoads loads) {
        return new AccountRegistry(loads);
    }

    @Bean
    AccountEvents accountEvents(Topics topics, KafkaClients kafka, AccountRegistry registry, String routerId) {
        Map<String, Object> config = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                routerId + "-accounts",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
        return new AccountEvents(
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
                topics.connectionEvents(),
                registry);
    }

    @Bean(destroyMethod = "close")
    Publisher accountPublisher(
            Topics topics, KafkaClients kafka, AccountRegistry registry, String routerId, MeterRegistry meters) {
        Map<String, Object> config = kafka.producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                routerId,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                // An answer waits for its event to be on the broker: a short linger keeps that wait short.
                ProducerConfig.LINGER_MS_CONFIG,
                2));
        return new Publisher(
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                topics,
                registry,
                routerId,
                Clock.systemUTC(),
                meters);
    }

    @Bean(destroyMethod = "close")
    ServerClients serverClients(Environment environment) {
        return new ServerClients(ClientSettings.defaults().withServerTls(environment::getProperty));
    }

    @Bean
    ServerCalls serverCalls(
            FleetState state, ServerClients clients, RouterProperties router, AccountSettings settings) {
        return new ServerCalls(state, clients, router.cipher(), settings);
    }

    @Bean(destroyMethod = "close")
    Lifecycle lifecycle(
            FleetState state,
            Selector selector,
            AccountRegistry registry,
            ServerCalls calls,
            Publisher publisher,
            AccountSettings settings) {
        return new Lifecycle(state, selector, registry, calls, publisher, settings, Clock.systemUTC());
    }

    @Bean
    RequestConsumer requestConsumer(
            Topics topics,
            KafkaClients kafka,
            AccountSettings settings,
            Lifecycle lifecycle,
            AccountRegistry registry,
            AccountEvents accountEvents,
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
                topics.connectionEvents(),
                lifecycle,
                registry,
                accountEvents,
                publisher,
                settings,
                meters);
    }

    @Bean
    AccountRequests accountRequests(Publisher publisher, AccountRegistry registry) {
        return new AccountRequests(publisher, registry);
    }

    /** Operations' views in PostgreSQL when the router has a database, so every instance answers for them. */
    @Bean
    FleetOperations fleetOperations(
            AccountRegistry registry,
            AccountRequests requests,
            ServerCalls calls,
            AccountSettings settings,
            ObjectProvider<DataSource> dataSource,
            JsonMapper json,
            String routerId) {
        DataSource database = dataSource.getIfAvailable();
        OperationStore store = database == null ? null : new OperationStore(database, json, routerId);
        return new FleetOperations(registry, requests, calls, settings, store);
    }

    /** Readiness: DOWN until the registry has read the connection events that were there at start. */
    @Bean
    HealthIndicator accountsHealthIndicator(
            AccountEvents accountEvents, RequestConsumer requests, AccountRegistry registry) {
        return () -> {
            boolean up = accountEvents.isRunning() && accountEvents.isCaughtUp() && requests.isRunning();
            return (up ? Health.up() : Health.down())
                    .withDetail("accounts", registry.size())
                    .withDetail("registryLoaded", accountEvents.isCaughtUp())
                    .withDetail("requestPartitions", requests.ownedPartitions())
                    .build();
        };
    }
}
