package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time of a health check: when it was made, not when it reached Kafka. */
public final class CheckedAtExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof HealthCheck check && check.getCheckedAt() != null) {
            return check.getCheckedAt().toEpochMilli();
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
