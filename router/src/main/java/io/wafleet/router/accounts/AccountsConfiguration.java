package io.wafleet.router.accounts;

import io.micrometer.core.instrument.MeterRegistry;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * Account state: the registry, its reader of wa.account-state, the tail of wa.connection-events, the upgrade from
 * them, and the publisher that writes each event with the account's new state.
 */
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
}
