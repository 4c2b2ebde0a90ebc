package io.wafleet.client;

import io.wafleet.avro.ErrorKind;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.RequestNotExecutedException;

/** Classifies what a call threw into an {@link ErrorKind}; nothing unclassified reaches a caller. */
final class Failures {

    /** An answer over the body limit. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge(int limit) {
            super("answer larger than the limit of " + limit + " bytes", null, false, false);
        }
    }

    private Failures() {}

    static <T> CallResult.Failed<T> classify(Throwable thrown, Duration latency) {
        Throwable cause = unwrap(thrown);
        ErrorKind kind = kind(cause);
        String message = kind == ErrorKind.OTHER
                ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : describe(kind, cause);
        return new CallResult.Failed<>(kind, null, message, latency);
    }

    private static ErrorKind kind(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLarge) {
                return ErrorKind.BAD_BODY;
            }
            if (t instanceof PolicyDnsResolver.AddressRefused) {
                return ErrorKind.ADDRESS_REFUSED;
            }
            if (t instanceof TimeoutException
                    || t instanceof SocketTimeoutException
                    || t instanceof ConnectTimeoutException) {
                return ErrorKind.TIMEOUT;
            }
            if (t instanceof SSLException) {
                return ErrorKind.TLS;
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return ErrorKind.DNS;
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            // A pooled connection the server closed (it stopped) before the request went out: as refused.
            if (t instanceof ConnectException || t instanceof RequestNotExecutedException) {
                return ErrorKind.CONNECT_REFUSED;
            }
        }
        return ErrorKind.OTHER;
    }

    private static String describe(ErrorKind kind, Throwable cause) {
        return switch (kind) {
            case TIMEOUT -> cause instanceof ConnectTimeoutException ? "connect timed out" : "no answer in time";
            case ADDRESS_REFUSED -> "address refused: " + cause.getMessage();
            case CONNECT_REFUSED ->
                cause instanceof RequestNotExecutedException
                        ? "connection closed by the server before the request was sent"
                        : "connection refused";
            case DNS -> "host name not resolved";
            case TLS -> "TLS failed: " + cause.getMessage();
            case BAD_BODY -> cause.getMessage();
            default -> String.valueOf(cause.getMessage());
        };
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
