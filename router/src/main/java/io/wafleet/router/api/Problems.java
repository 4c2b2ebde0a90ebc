package io.wafleet.router.api;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem responses, {@code application/problem+json}. */
final class Problems {

    private Problems() {}

    static ResponseEntity<ProblemDetail> of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://wafleet.io/problems/" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    static ResponseEntity<ProblemDetail> badField(String field, String detail) {
        ResponseEntity<ProblemDetail> response =
                of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", field + ": " + detail);
        response.getBody().setProperty("field", field);
        return response;
    }

    static ResponseEntity<ProblemDetail> notReady() {
        return of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "not-ready",
                "Health table not loaded",
                "this router is still reading the health table; try again in a moment");
    }
}
