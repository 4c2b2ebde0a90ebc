package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client alone, against a stand-in HTTP server that records what it is sent (the real registry is in
 * the platform module's {@code SchemaRegistryModeTest}): basic authentication, the Confluent media type, a second URL
 * tried when the first does not answer, ids cached, and the registry's refusals and failures told apart.
 */
class SchemaRegistryClientTest {

    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int status = 200;
    private volatile String answer = "{\"id\":7}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " type="
                    + exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void itSendsBasicAuthAndTheConfluentMediaTypeAndTriesTheNextUrlWhenOneDoesNotAnswer() throws Exception {
        SchemaRegistryClient client = new SchemaRegistryClient(settings(deadUrl() + "," + url(), "ops:s3cret"));

        assertThat(client.register("wa.health-checks-value", new Schema.Parser().parse(SCHEMA)))
                .isEqualTo(7);
        assertThat(seen)
                .containsExactly("POST /subjects/wa.health-checks-value/versions auth=Basic b3BzOnMzY3JldA=="
                        + " type=application/vnd.schemaregistry.v1+json");
    }

    @Test
    void aSchemaIsFetchedOnceByItsId() {
        answer = "{\"schema\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(SCHEMA) + "}";
        SchemaRegistryClient client = new SchemaRegistryClient(settings(url(), null));

        assertThat(client.schema(3).getName()).isEqualTo("A");
        assertThat(client.schema(3).getName()).isEqualTo("A");
        assertThat(seen).hasSize(1).allMatch(line -> line.startsWith("GET /schemas/ids/3 auth=null"));
    }

    @Test
    void aRefusalCarriesTheRegistrysReasonAndAFailureIsUnavailable() {
        SchemaRegistryClient client = new SchemaRegistryClient(settings(url(), null));
        status = 409;
        answer = "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}";
        assertThatThrownBy(() -> client.register("s", new Schema.Parser().parse(SCHEMA)))
                .isInstanceOfSatisfying(
                        SchemaRegistryClient.Refused.class,
                        refused -> assertThat(refused.status()).isEqualTo(409))
                .hasMessageContaining("HTTP 409 Schema being registered is incompatible");

        status = 503;
        answer = "down for maintenance";
        assertThatThrownBy(() -> client.compatibility("s", "FULL_TRANSITIVE"))
                .isInstanceOf(SchemaRegistryClient.Unavailable.class)
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void thePasswordIsNotInTheSettingsText() {
        assertThat(settings(url(), "ops:s3cret").toString()).doesNotContain("s3cret");
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static String deadUrl() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static SchemaRegistrySettings settings(String urls, String userInfo) {
        return SchemaRegistrySettings.from(
                        userInfo == null
                                ? Map.of(SchemaRegistrySettings.URL, urls)::get
                                : Map.of(SchemaRegistrySettings.URL, urls, SchemaRegistrySettings.USER_INFO, userInfo)
                                        ::get)
                .orElseThrow();
    }
}
