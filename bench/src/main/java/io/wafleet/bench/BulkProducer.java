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
}
