package io.wafleet.router.api;

import io.wafleet.router.operations.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.ResponseEntity;

/** The answer to a request that started an operation: its result when it ends in time, else 202 and where to look. */
public final class OperationResponses {

    private OperationResponses() {}

    public static ResponseEntity<?> awaited(Operation operation, Duration wait) {
        try {
            if (!wait.isZero()) {
                operation.finished().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            // Still running (it never fails as a whole): 202 below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (operation.finished().isDone()) {
            return ResponseEntity.ok(operation.view());
        }
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/operations/" + operation.id()))
                .body(operation.view());
    }

    /** A {@code timeoutMs} parameter: 0 to 120,000 ms, or the fallback. */
    public static Duration timeout(String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis < 0 || millis > 120_000) {
                throw new BadField("timeoutMs", "must be between 0 and 120000, was " + millis);
            }
            return Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            throw new BadField("timeoutMs", "must be a whole number of milliseconds, was '" + value + "'");
        }
    }
}
