package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.ErrorKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** One server's HTTP calls: URL, API key header, timeouts, body limit, and classification of every failure. */
final class HttpCaller {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** An HTTP answer the adapter reads. */
    record Answer(int status, String contentType, byte[] body) {}

    private final HttpClient http;
    private final ServerEndpoint endpoint;
    private final String apiKeyHeader;
    private final int maxBodyBytes;
    private final Executor callbacks;

    HttpCaller(HttpClient http, ServerEndpoint endpoint, String apiKeyHeader, int maxBodyBytes, Executor callbacks) {
        this.http = http;
        this.endpoint = endpoint;
        this.apiKeyHeader = apiKeyHeader;
        this.maxBodyBytes = maxBodyBytes;
        this.callbacks = callbacks;
    }

    ServerEndpoint endpoint() {
        return endpoint;
    }

    /** A call whose answer must be JSON; a 2xx, or a status in {@code accepted}, is a success. */
    CompletableFuture<CallResult<JsonNode>> json(String method, String path, Object body, Set<Integer> accepted) {
        return call(method, path, body, "application/json", accepted).thenApply(result -> parse(result));
    }

    CompletableFuture<CallResult<JsonNode>> json(String method, String path, Object body) {
        return json(method, path, body, Set.of());
    }

    /** A call with any answer; a 2xx, or a status in {@code accepted}, is a success. */
    CompletableFuture<CallResult<Answer>> call(
            String method, String path, Object body, String accept, Set<Integer> accepted) {
        long started = System.nanoTime();
        HttpRequest request;
        try {
            request = request(method, path, body, accept);
        } catch (IllegalArgumentException | IOException e) {
            return CompletableFuture.completedFuture(new CallResult.Failed<>(
                    ErrorKind.OTHER, null, "cannot build the request: " + e.getMessage(), elapsed(started)));
        }
        // The request timeout covers the wait for the headers; orTimeout also covers a body that never ends.
        // The HTTP client runs its own stages on its selector thread; results continue on the callback executor, so
        // a caller's slow continuation never holds up the I/O of other servers.
        return http.sendAsync(request, info -> new LimitedBody(maxBodyBytes))
                .orTimeout(endpoint.requestTimeout().toMillis() + 50, TimeUnit.MILLISECONDS)
                .handleAsync(
                        (response, thrown) -> thrown != null
                                ? Failures.<Answer>classify(thrown, elapsed(started))
                                : answer(response, accepted, elapsed(started)),
                        callbacks);
    }

    private HttpRequest request(String method, String path, Object body, String accept) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                .timeout(endpoint.requestTimeout())
                .header("Accept", accept);
        if (endpoint.apiKey() != null) {
            builder.header(apiKeyHeader, endpoint.apiKey());
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
        }
        return builder.build();
    }

    private static CallResult<Answer> answer(HttpResponse<byte[]> response, Set<Integer> accepted, Duration latency) {
        int status = response.statusCode();
        byte[] body = response.body();
        if ((status < 200 || status > 299) && !accepted.contains(status)) {
            // What the server said stays out of the message: it is shown in API answers, health records and the
            // audit, and a server's error page may echo anything (headers, keys, internal addresses).
            return new CallResult.Failed<>(
                    ErrorKind.HTTP_STATUS, status, "HTTP " + status + described(response), latency);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        return new CallResult.Ok<>(new Answer(status, contentType, body), status, latency);
    }

    private static CallResult<JsonNode> parse(CallResult<Answer> result) {
        if (!(result instanceof CallResult.Ok<Answer> ok)) {
            return ((CallResult.Failed<Answer>) result).cast();
        }
        try {
            JsonNode json = MAPPER.readTree(ok.value().body());
            if (json == null || json.isMissingNode()) {
                return badBody("empty answer where JSON was expected", ok);
            }
            return new CallResult.Ok<>(json, ok.httpStatus(), ok.latency());
        } catch (IOException e) {
            return badBody(
                    "answer is not JSON"
                            + described(ok.value().contentType(), ok.value().body()),
                    ok);
        }
    }

    static <T> CallResult<T> badBody(String message, CallResult.Ok<?> ok) {
        return new CallResult.Failed<>(ErrorKind.BAD_BODY, ok.httpStatus(), message, ok.latency());
    }

    private static String described(HttpResponse<byte[]> response) {
        return described(response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** The size and type of a body, never its content: " (412 bytes, text/html)". */
    private static String described(String contentType, byte[] body) {
        String type = contentType.split(";", 2)[0].strip();
        if (!type.matches("[A-Za-z0-9.+-]{1,64}/[A-Za-z0-9.+-]{1,64}")) {
            type = type.isEmpty() ? "no content type" : "an invalid content type";
        }
        return " (" + body.length + " bytes, " + type + ")";
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
