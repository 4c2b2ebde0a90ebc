package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a health check: when it was made, not when it reached Kafka — unless it claims a time further than
 * {@link #MAX_SKEW} from the record's own timestamp (its producer's clock, or the broker's): then the record's. A
 * check dated next year (a wrong clock, a producer's mistake) would otherwise advance stream time by a year and
 * close every window before the checks that follow it arrive.
 */
public final class CheckedAtExtractor implements TimestampExtractor {

    /** How far a check's own time may be from its record's; the probe stamps both within milliseconds. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long recorded = record.timestamp();
        if (record.value() instanceof HealthCheck check && check.getCheckedAt() != null) {
            long checked = check.getCheckedAt().toEpochMilli();
            if (recorded < 0 || Math.abs(checked - recorded) <= MAX_SKEW.toMillis()) {
                return checked;
            }
            return recorded;
        }
        return recorded >= 0 ? recorded : partitionTime;
    }
}
