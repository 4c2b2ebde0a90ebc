package io.wafleet.aggregator;

import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topic;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the aggregator's dead-letter handlers read from the Streams config: the topic, the name they sign the letters
 * with, and the counter the service's metrics show.
 */
record DeadLetterSettings(Topic<byte[], byte[]> topic, String consumer, LongAdder count) {

    /** The dead-letter topic's name, in the Streams config. */
    static final String TOPIC_CONFIG = "wafleet.dead-letters.topic";

    /** A {@link LongAdder} in the Streams config that counts the dead letters, for the service's metrics. */
    static final String COUNTER_CONFIG = "wafleet.dead-letters.counter";

    static DeadLetterSettings from(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        Object applicationId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        return new DeadLetterSettings(
                new Topic<>(
                        topic == null ? "wa.dead-letters" : topic.toString(), Serdes.ByteArray(), Serdes.ByteArray()),
                applicationId == null ? "stats-aggregator" : applicationId.toString(),
                configs.get(COUNTER_CONFIG) instanceof LongAdder adder ? adder : new LongAdder());
    }

    /** Counts and makes the dead letter of {@code source} for {@code reason}. */
    ProducerRecord<byte[], byte[]> letter(DeadLetters.Source source, String reason) {
        count.increment();
        return DeadLetters.of(topic, source, reason, consumer);
    }

    static String reason(Exception exception) {
        return exception.getClass().getSimpleName() + ": " + exception.getMessage();
    }
}
