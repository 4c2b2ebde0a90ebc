package io.wafleet.router.messages;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The message worker's meters: messages waiting, duplicates skipped, records dead-lettered. */
final class MessageMeters {

    private final AtomicInteger buffered = new AtomicInteger();
    private final Counter duplicates;
    private final Counter deadLetters;

    MessageMeters(MeterRegistry meters) {
        meters.gauge("wafleet.router.messages.waiting", buffered);
        this.duplicates = meters.counter("wafleet.router.messages.skipped", "reason", "already_handled");
        this.deadLetters = meters.counter("wafleet.router.messages.skipped", "reason", "dead_letter");
    }

    void buffered(int count) {
        buffered.set(count);
    }

    Counter duplicates() {
        return duplicates;
    }

    Counter deadLetters() {
        return deadLetters;
    }
}
