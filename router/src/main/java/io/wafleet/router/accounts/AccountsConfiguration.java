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
import io.wafleet.service.ProcessExit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The account lifecycle's parts: registry, its reader, the request consumer, the lifecycle and their clients. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccountSettings.class)
public class AccountsConfiguration {

    /** How long a dead router's open transaction holds back readers at most (Kafka Streams' default too). */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    /** An event not committed by then fails its step (the producer's delivery timeout, as before transactions). */
    static final Duration EVENT_GIVE_UP = Duration.ofMinutes(2);

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
    AccountStates accountStates(
            Topics topics, KafkaClients kafka, AccountRegistry registry, AccountSettings settings, String routerId) {
        return new AccountStates(
                readCommitted(kafka, routerId + "-states"), topics.accountState(), registry, settings.hold());
    }

    @Bean
    AccountEvents accountEvents(Topics topics, KafkaClients kafka, String routerId) {
        return new AccountEvents(readCommitted(kafka, routerId + "-events"), topics.connectionEvents());
    }

    @Bean
    StateUpgrade stateUpgrade(Topics topics, KafkaClients kafka, String routerId) {
        Map<String, Object> consumer = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                routerId + "-upgrade",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
        return new StateUpgrade(
                topics,
                () -> new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                id -> new KafkaProducer<>(
                        kafka.producer(Map.of(
                                ProducerConfig.CLIENT_ID_CONFIG,
                                routerId + "-upgrade",
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                id,
                                // Every account in one transaction: time to write millions.
                                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                                (int) Duration.ofMinutes(10).toMillis())),
                        new ByteArraySerializer(),
                        new ByteArraySerializer()));
    }

    private static DefaultKafkaConsumerFactory<String, byte[]> readCommitted(KafkaClients kafka, String clientId) {
        Map<String, Object> config = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // Events and states are written in transactions: an aborted one is not the account's.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
        return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
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
        Map<String, Object> transactional = kafka.producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                routerId + "-tx",
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                routerId,
                // A router that dies with a transaction open holds back the readers of its partitions until the
                // broker aborts it: this long, as Kafka Streams does.
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                (int) TRANSACTION_TIMEOUT.toMillis(),
                // A broker away fails the transaction after this; it is sent again with a new producer.
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                (int) TRANSACTION_TIMEOUT.toMillis()));
        Transactions transactions = new Transactions(
                () -> new KafkaProducer<>(transactional, new ByteArraySerializer(), new ByteArraySerializer()),
                EVENT_GIVE_UP,
                () -> ProcessExit.now(1));
        return new Publisher(
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                transactions,
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
