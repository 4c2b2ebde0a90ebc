package io.wafleet.router.requests;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/** The request consumer's meters: requests by result, and how many are being worked on. */
record RequestMeters(Counter accepted, Counter duplicates, Counter deadLetters) {

    static RequestMeters of(MeterRegistry meters, Set<String> working) {
        meters.gauge("wafleet.router.requests.in.flight", working, Set::size);
        return new RequestMeters(
                meters.counter("wafleet.router.requests", "result", "accepted"),
                meters.counter("wafleet.router.requests", "result", "duplicate"),
                meters.counter("wafleet.router.requests", "result", "dead_letter"));
    }
}
