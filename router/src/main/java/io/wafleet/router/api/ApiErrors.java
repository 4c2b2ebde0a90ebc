package io.wafleet.router.api;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The API's 400s, whichever controller refused the request: a problem naming the field. Ahead of Spring's own
 * problem handler, which would answer an unreadable body without saying which part was wrong.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiErrors {

    @ExceptionHandler(BadField.class)
    ResponseEntity<ProblemDetail> badField(BadField e) {
        return Problems.badField(e.field(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyLimitFilter.BodyTooLarge) {
                return Problems.of(
                        HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large", cause.getMessage());
            }
        }
        return Problems.badField("body", "not a JSON object");
    }

    /** A drain or bulk operation whose accounts held by another router could not be listed: not started, retry. */
    @ExceptionHandler(AccountListing.OthersUnavailable.class)
    ResponseEntity<ProblemDetail> othersUnavailable(AccountListing.OthersUnavailable e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(Problems.of(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "listing-incomplete",
                                "Listing incomplete",
                                "a router holding some of the accounts did not answer (" + e.getMessage()
                                        + "): nothing was started; try again in a second")
                        .getBody());
    }

    /** A type mismatch of a query or path parameter ({@code ?limit=lots}): a 400 naming it, not a 500. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
        return Problems.badField(e.getName(), "is not a valid value");
    }
}
