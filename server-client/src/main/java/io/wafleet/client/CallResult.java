package io.wafleet.client;

import io.wafleet.avro.ErrorKind;
import java.time.Duration;
import java.util.function.Function;

/**
 * The outcome of one call to a server: a value, or a classified failure. Calls never complete exceptionally.
 *
 * @param <T> the value of a successful call
 */
public sealed interface CallResult<T> {

    /** From sending the request to the end of the answer, or to the failure. */
    Duration latency();

    /** A successful call. */
    record Ok<T>(T value, int httpStatus, Duration latency) implements CallResult<T> {}

    /**
     * A failed call.
     *
     * @param kind what went wrong
     * @param httpStatus the status, when the server answered one
     * @param message what happened, without secrets
     * @param latency time to the failure
     */
    record Failed<T>(ErrorKind kind, Integer httpStatus, String message, Duration latency) implements CallResult<T> {

        /** The same failure as a result of another type. */
        @SuppressWarnings("unchecked")
        public <U> Failed<U> cast() {
            return (Failed<U>) this;
        }
    }

    default boolean isOk() {
        return this instanceof Ok<T>;
    }

    /** The value; throws {@link IllegalStateException} naming the failure when the call failed. */
    default T orElseThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        Failed<T> failed = (Failed<T>) this;
        throw new IllegalStateException("call failed: " + failed.kind() + " " + failed.message());
    }

    /** Maps the value of a successful call; a failure stays as it is. */
    default <U> CallResult<U> map(Function<T, U> mapper) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(mapper.apply(ok.value()), ok.httpStatus(), ok.latency());
        }
        return ((Failed<T>) this).cast();
    }
}
