package io.wafleet.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The few calls of the Confluent Schema Registry REST API wafleet makes (any registry that speaks it: Confluent's,
 * Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda): register a schema under a subject, set a subject's
 * compatibility, and read a schema by its id (cached: an id names one schema forever). Each base URL is tried in
 * turn until one answers. No client library for this API is served where wafleet is built, so this is written
 * against the documented API.
 */
public final class SchemaRegistryClient {

    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The registry could not be reached, or failed (5xx): worth trying again later. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The registry answered and refused: an incompatible or invalid schema, an unknown id, bad credentials. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final int errorCode;

        Refused(String message, int status, int errorCode) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
        }

        /** The HTTP status, e.g. 404, 409 (incompatible), 422 (invalid), 401. */
        public int status() {
            return status;
        }

        /** The registry's own error code, e.g. 40403 (schema not found), or 0 when it gave none. */
        public int errorCode() {
            return errorCode;
        }
    }

    private final List<URI> urls;
    private final String authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public SchemaRegistryClient(SchemaRegistrySettings settings) {
        this.urls = settings.urls();
        this.authorization = settings.userInfo() == null
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString(settings.userInfo().getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .sslContext(TrustStores.context(settings.trustStore(), settings.trustStorePassword()))
                .build();
    }

    /** Registers the schema under the subject (a no-op if it is there already); returns its id. */
    public int register(String subject, Schema schema) {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        return call("POST", "/subjects/" + encode(subject) + "/versions", body)
                .path("id")
                .asInt();
    }

    /** Sets the subject's compatibility level, e.g. {@code FULL_TRANSITIVE}. */
    public void compatibility(String subject, String level) {
        call(
                "PUT",
                "/config/" + encode(subject),
                JSON.createObjectNode().put("compatibility", level).toString());
    }

    /** The schema with this id. */
    public Schema schema(int id) {
        Schema known = schemas.get(id);
        if (known != null) {
            return known;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        schemas.put(id, schema);
        return schema;
    }

    /** Where the registry is, for messages. */
    public String where() {
        return urls.size() == 1 ? urls.get(0).toString() : urls.toString();
    }

    private JsonNode call(String method, String path, String body) {
        Unavailable last = null;
        for (URI base : urls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(TIMEOUT)
                    .header("Accept", MEDIA_TYPE + ", application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", MEDIA_TYPE);
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = new Unavailable("the schema registry at " + base + " did not answer: " + e, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while calling the schema registry at " + base, e);
            }
            if (response.statusCode() >= 500) {
                last = new Unavailable(
                        "the schema registry at " + base + " failed: HTTP " + response.statusCode() + " "
                                + response.body(),
                        null);
                continue;
            }
            JsonNode answer = parse(response.body());
            if (response.statusCode() >= 400) {
                throw new Refused(
                        "the schema registry at " + base + " refused " + method + " " + path + ": HTTP "
                                + response.statusCode() + " "
                                + answer.path("message").asText(response.body()),
                        response.statusCode(),
                        answer.path("error_code").asInt(0));
            }
            return answer;
        }
        throw last;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
