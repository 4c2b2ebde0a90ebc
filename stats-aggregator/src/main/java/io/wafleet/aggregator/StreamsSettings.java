package io.wafleet.aggregator;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of the aggregator, from its properties. */
public final class StreamsSettings {

    private StreamsSettings() {}

    /**
     * @param connection the cluster's address and security ({@code KafkaClients#streams}), under the aggregator's own
     * @param deadLetters counts the records the aggregator sends to the dead-letter topic
     */
    public static Properties of(
            Map<String, Object> connection,
            String deadLetterTopic,
            LongAdder deadLetters,
            AggregatorProperties aggregator) {
        Properties settings = new Properties();
        settings.putAll(connection);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, aggregator.applicationId());
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, aggregator.stateDir().toString());
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, aggregator.streamThreads());
        // See AggregatorProperties#commitInterval: visibility of a status change, not throughput, sets this.
        settings.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                aggregator.commitInterval().toMillis());
        settings.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        // A record that makes a processor throw is dead-lettered too; the stream goes on.
        settings.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingDeadLetterHandler.class.getName());
        settings.put(DeadLetterHandler.TOPIC_CONFIG, deadLetterTopic);
        settings.put(DeadLetterHandler.COUNTER_CONFIG, deadLetters);
        // A new instance reads the configs and checks already on the topics, not only what comes after.
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Every commit flushes the producer, so lingering costs no visibility; bigger batches took the benchmark from
        // 44k to 54k checks/s (each check writes two window changelog records).
        settings.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 100);
        settings.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 512 * 1024);
        settings.putAll(aggregator.streams());
        return settings;
    }
}
