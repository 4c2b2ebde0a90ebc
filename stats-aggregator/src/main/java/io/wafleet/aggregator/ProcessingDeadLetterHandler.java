package io.wafleet.aggregator;

import io.wafleet.schemas.DeadLetters;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that was read but made a processor of the topology throw goes to wa.dead-letters as its source bytes,
 * with the processor and the reason, and the stream goes on: one bad check must not stop the fleet's health table.
 * Streams sends the letter in the task's transaction. A failure outside a processor (a store or the broker) is not
 * handled here: it fails the stream thread, which {@link AggregatorStreams} replaces or gives up on.
 */
public final class ProcessingDeadLetterHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProcessingDeadLetterHandler.class);

    private DeadLetterSettings settings;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = DeadLetterSettings.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String reason = "processor " + context.processorNodeId() + " failed: " + DeadLetterSettings.reason(exception);
        log.warn("dead letter: {}-{}@{} {}", context.topic(), context.partition(), context.offset(), reason, exception);
        DeadLetters.Source source = new DeadLetters.Source(
                context.topic(),
                context.partition(),
                context.offset(),
                context.headers(),
                context.sourceRawKey(),
                context.sourceRawValue());
        return Response.resume(List.of(settings.letter(source, reason)));
    }
}
