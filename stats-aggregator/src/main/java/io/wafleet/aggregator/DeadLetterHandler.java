package io.wafleet.aggregator;

import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topic;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the aggregator cannot read goes to wa.dead-letters, bytes untouched, with the reason in its headers, and
 * the stream goes on. Sent by Streams in the same transaction as the task's output, so it is written exactly once.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    /** The dead-letter topic's name, in the Streams config. */
    public static final String TOPIC_CONFIG = "wafleet.dead-letters.topic";

    /** A {@link LongAdder} in the Streams config that counts the dead letters, for the service's metrics. */
    public static final String COUNTER_CONFIG = "wafleet.dead-letters.counter";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private Topic<byte[], byte[]> deadLetters;
    private String consumer;
    private LongAdder count;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        deadLetters = new Topic<>(
                topic == null ? "wa.dead-letters" : topic.toString(), Serdes.ByteArray(), Serdes.ByteArray());
        Object applicationId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        consumer = applicationId == null ? "stats-aggregator" : applicationId.toString();
        count = configs.get(COUNTER_CONFIG) instanceof LongAdder adder ? adder : new LongAdder();
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = exception.getClass().getSimpleName() + ": " + exception.getMessage();
        log.warn(
                "dead letter: {}-{}@{} cannot be read: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason);
        count.increment();
        return Response.resume(List.of(DeadLetters.of(deadLetters, record, reason, consumer)));
    }
}
