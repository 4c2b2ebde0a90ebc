package io.wafleet.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Producer settings for filling a topic before a measurement: large compressed batches. */
public final class BulkProducer {

    private BulkProducer() {}

    public static Map<String, Object> config(String bootstrap) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4");
    }

    /**
     * Writes a tombstone of key {@code bench-settle} to every partition of a new topic, each retried until its leader
     * takes it, with a non-idempotent producer: on Kafka 4.3.1 an idempotent producer that writes a partition before
     * its leader has settled fails the first batch (NOT_LEADER_OR_FOLLOWER) and every retry after it
     * (OUT_OF_ORDER_SEQUENCE_NUMBER) until the delivery timeout, losing those records.
     */
    public static void settle(String bootstrap, String topic, int partitions) throws Exception {
        Map<String, Object> config = new java.util.HashMap<>(config(bootstrap));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        config,
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int partition = 0; partition < partitions; partition++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                topic,
                                partition,
                                "bench-settle".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                null))
                        .get();
            }
        }
    }
}
