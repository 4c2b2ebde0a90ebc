package io.wafleet.router.api;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

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
        return Problems.badField("body", "not a JSON object");
    }
}
