package io.wafleet.router.accounts;

import io.wafleet.schemas.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;

/**
 * Values of the topics only routers write (wa.connection-events, wa.account-state): a record that cannot be read is
 * skipped with a warning rather than dead-lettered, since no producer outside wafleet can mend it; the account keeps
 * its last readable state.
 */
final class RouterRecords {

    private RouterRecords() {}

    /** The record's value; null for a tombstone or a record that cannot be read (logged to {@code log}). */
    static <V> V read(Topic<String, V> topic, ConsumerRecord<?, byte[]> record, Logger log) {
        try {
            return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn(
                    "skipping unreadable {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return null;
        }
    }
}
