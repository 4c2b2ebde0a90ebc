package io.wafleet.router.accounts;

import io.wafleet.platform.kafka.KafkaCluster;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Kafka clients for the tests of the router's transactions: a transactional producer, a read_committed consumer. */
final class TxClients {

    private TxClients() {}

    /** A producer of transactional id {@code id}, with the router's transaction timeout. */
    static KafkaProducer<byte[], byte[]> transactional(KafkaCluster kafka, String id) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        id,
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        (int) AccountsConfiguration.TRANSACTION_TIMEOUT.toMillis()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** A consumer (no group) that reads committed records only. */
    static KafkaConsumer<byte[], byte[]> readCommitted(KafkaCluster kafka) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
