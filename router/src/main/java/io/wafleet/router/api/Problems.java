package io.wafleet.router.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem responses, {@code application/problem+json}. */
public final class Problems {

    private Problems() {}

    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://wafleet.io/problems/" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    public static ResponseEntity<ProblemDetail> badField(String field, String detail) {
        ResponseEntity<ProblemDetail> response =
                of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", field + ": " + detail);
        response.getBody().setProperty("field", field);
        return response;
    }

    /** Writes a problem from a servlet filter, before Spring MVC: as bytes, so no charset joins the media type. */
    public static void write(HttpServletResponse response, int status, String type, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        String json = "{\"type\":\"https://wafleet.io/problems/%s\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}"
                .formatted(type, title, status, detail);
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }

    public static ResponseEntity<ProblemDetail> noSuchServer(String id) {
        return of(HttpStatus.NOT_FOUND, "no-such-server", "No such server", "no server with id " + id);
    }

    static ResponseEntity<ProblemDetail> notReady() {
        return of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "not-ready",
                "Health table not loaded",
                "this router is still reading the health table; try again in a moment");
    }
}
