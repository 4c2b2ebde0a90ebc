package io.wafleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.wafleet.avro.ErrorKind;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.util.Timeout;

/** One server's HTTP calls: URL, API key header, timeouts, body limit, and classification of every failure. */
final class HttpCaller {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** An HTTP answer the adapter reads. */
    record Answer(int status, String contentType, byte[] body) {}

    private final CloseableHttpAsyncClient http;
    private final ServerEndpoint endpoint;
    private final String apiKeyHeader;
    private final int maxBodyBytes;
    private final Executor callbacks;

    HttpCaller(
            CloseableHttpAsyncClient http,
            ServerEndpoint endpoint,
            String apiKeyHeader,
            int maxBodyBytes,
            Executor callbacks) {
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

    /** As {@link #json}, but an empty body (as WAHA's DELETE answers) is a success with a JSON null. */
    CompletableFuture<CallResult<JsonNode>> jsonOrEmpty(
            String method, String path, Object body, Set<Integer> accepted) {
        return jsonAfterWait(method, path, body, accepted, Duration.ZERO);
    }

    /**
     * As {@link #jsonOrEmpty}, for a call the server itself sleeps in before it answers (Evolution's create waits 5 s
     * for the QR, WAHA Core 3 s after stopping a session): the request timeout is the server's wait longer.
     */
    CompletableFuture<CallResult<JsonNode>> jsonAfterWait(
            String method, String path, Object body, Set<Integer> accepted, Duration serverWait) {
        return call(method, path, body, "application/json", accepted, serverWait)
                .thenApply(result -> {
                    if (result instanceof CallResult.Ok<Answer> ok && ok.value().body().length == 0) {
                        return new CallResult.Ok<>(NullNode.getInstance(), ok.httpStatus(), ok.latency());
                    }
                    return parse(result);
                });
    }

    /** A call with any answer; a 2xx, or a status in {@code accepted}, is a success. */
    CompletableFuture<CallResult<Answer>> call(
            String method, String path, Object body, String accept, Set<Integer> accepted) {
        return call(method, path, body, accept, accepted, Duration.ZERO);
    }

    private CompletableFuture<CallResult<Answer>> call(
            String method, String path, Object body, String accept, Set<Integer> accepted, Duration serverWait) {
        Duration timeout = endpoint.requestTimeout().plus(serverWait);
        long started = System.nanoTime();
        SimpleHttpRequest request;
        try {
            request = request(method, path, body, accept, timeout);
        } catch (IllegalArgumentException | IOException e) {
            return CompletableFuture.completedFuture(new CallResult.Failed<>(
                    ErrorKind.OTHER, null, "cannot build the request: " + e.getMessage(), elapsed(started)));
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        HttpClientContext context = HttpClientContext.create();
        // Pooled connections are leased by this state: only ones opened under the same address policy.
        context.setUserToken(endpoint.addressPolicy());
        http.execute(
                SimpleRequestProducer.create(request), new CappedAnswer(maxBodyBytes), context, new FutureCallback<>() {
                    @Override
                    public void completed(Answer result) {
                        answer.complete(result);
                    }

                    @Override
                    public void failed(Exception ex) {
                        answer.completeExceptionally(ex);
                    }

                    @Override
                    public void cancelled() {
                        answer.cancel(false);
                    }
                });
        // The response timeout covers silences; orTimeout also covers an answer that trickles forever. The client's
        // I/O threads only hand over: results continue on the callback executor, so a caller's slow continuation
        // never holds up the I/O of other servers.
        return answer.orTimeout(timeout.toMillis() + 50, TimeUnit.MILLISECONDS)
                .handleAsync(
                        (response, thrown) -> thrown != null
                                ? Failures.<Answer>classify(thrown, elapsed(started))
                                : answer(response, accepted, elapsed(started)),
                        callbacks);
    }

    private SimpleHttpRequest request(String method, String path, Object body, String accept, Duration timeout)
            throws IOException {
        SimpleRequestBuilder builder = SimpleRequestBuilder.create(method)
                .setUri(URI.create(endpoint.baseUrl() + path))
                .setRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(timeout))
                        .build())
                .addHeader("Accept", accept);
        if (endpoint.apiKey() != null) {
            builder.addHeader(apiKeyHeader, endpoint.apiKey());
        }
        if (body != null) {
            builder.setBody(MAPPER.writeValueAsBytes(body), ContentType.APPLICATION_JSON);
        }
        return builder.build();
    }

    private static CallResult<Answer> answer(Answer response, Set<Integer> accepted, Duration latency) {
        int status = response.status();
        if ((status < 200 || status > 299) && !accepted.contains(status)) {
            // What the server said stays out of the message: it is shown in API answers, health records and the
            // audit, and a server's error page may echo anything (headers, keys, internal addresses).
            return new CallResult.Failed<>(
                    ErrorKind.HTTP_STATUS,
                    status,
                    "HTTP " + status + described(response.contentType(), response.body()),
                    latency);
        }
        return new CallResult.Ok<>(response, status, latency);
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
