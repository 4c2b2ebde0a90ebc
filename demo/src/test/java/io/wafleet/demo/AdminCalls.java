package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** A service's REST API called as an operator calls it, with the admin token, from the tests that run the services. */
final class AdminCalls {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token;

    AdminCalls(String token) {
        this.token = token;
    }

    /** Calls and returns the body of an answer that must be a success; {@code body} is null, a String or a file. */
    String call(ServiceProcess service, String method, String path, Object body) throws Exception {
        HttpResponse<String> response = send(service, method, path, body);
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isLessThan(300);
        return response.body();
    }

    /** Calls and returns the answer, whatever its status. */
    HttpResponse<String> send(ServiceProcess service, String method, String path, Object body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(service.url() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, publisher(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher publisher(Object body) throws FileNotFoundException {
        if (body == null) {
            return HttpRequest.BodyPublishers.noBody();
        }
        if (body instanceof Path file) {
            return HttpRequest.BodyPublishers.ofFile(file);
        }
        return HttpRequest.BodyPublishers.ofString(body.toString());
    }
}
