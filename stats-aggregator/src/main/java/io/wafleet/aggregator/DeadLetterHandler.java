package io.wafleet.aggregator;

import io.wafleet.schemas.DeadLetters;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    public static final String TOPIC_CONFIG = DeadLetterSettings.TOPIC_CONFIG;

    /** A counter in the Streams config that counts the dead letters, for the service's metrics. */
    public static final String COUNTER_CONFIG = DeadLetterSettings.COUNTER_CONFIG;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private DeadLetterSettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = DeadLetterSettings.from(configs);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = DeadLetterSettings.reason(exception);
        log.warn(
                "dead letter: {}-{}@{} cannot be read: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason);
        DeadLetters.Source source = new DeadLetters.Source(
                record.topic(), record.partition(), record.offset(), record.headers(), record.key(), record.value());
        return Response.resume(List.of(settings.letter(source, reason)));
    }
}
