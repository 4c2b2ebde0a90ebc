package io.wafleet.router.api;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.requests.AccountRequests;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The request-reply of the account endpoints: posts the request and turns the account state that answers it into the
 * response — 200 with the account, a 503 problem when it FAILED, 202 when nothing answered within the timeout. The
 * response is a future that Spring MVC completes asynchronously: the servlet thread is given back while the account's
 * server is being called.
 */
final class AccountAnswers {

    private final AccountRequests requests;
    private final FleetState state;

    AccountAnswers(AccountRequests requests, FleetState state) {
        this.requests = requests;
        this.state = state;
    }

    CompletableFuture<ResponseEntity<?>> send(ConnectionRequest request, Duration timeout) {
        if (!state.isCaughtUp()) {
            return CompletableFuture.completedFuture(Problems.notReady());
        }
        return requests.send(request, timeout).handle((answer, error) -> {
            if (error == null) {
                return answered(request, answer);
            }
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                return accepted(request);
            }
            return Problems.of(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "kafka-unavailable",
                    "Request not posted",
                    "the request could not be written to Kafka: " + cause.getMessage());
        });
    }

    private ResponseEntity<?> answered(ConnectionRequest request, Account answer) {
        if (answer.state() == AccountState.FAILED) {
            ResponseEntity<ProblemDetail> problem = Problems.of(
                    HttpStatus.SERVICE_UNAVAILABLE, "account-failed", request.getAction() + " failed", answer.reason());
            problem.getBody().setProperty("accountId", request.getAccountId());
            problem.getBody().setProperty("requestId", request.getRequestId());
            problem.getBody().setProperty("state", AccountState.FAILED.name());
            return problem;
        }
        return ResponseEntity.ok(AccountView.of(answer));
    }

    /** Not answered in time: the request stands; where to look for its outcome. */
    private static ResponseEntity<?> accepted(ConnectionRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", request.getAccountId());
        body.put("requestId", request.getRequestId());
        body.put("action", request.getAction().name());
        body.put("detail", "posted; not answered yet: GET the account for its state");
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/accounts/" + request.getAccountId()))
                .body(body);
    }
}
