package io.wafleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The simulator serves every conformance fixture: each fixture's setup and exchanges, in order, against a fresh
 * simulated server of its dialect, version and tier, over HTTP; status, Content-Type and body as recorded.
 */
class SimulatorConformanceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestFactory
    Stream<DynamicTest> theSimulatorAnswersAsTheRealServers() {
        List<Path> fixtures = ConformanceFixtures.all();
        assertThat(fixtures).hasSizeGreaterThan(50);
        return fixtures.stream()
                .map(file -> DynamicTest.dynamicTest(
                        ConformanceFixtures.ROOT.relativize(file).toString(), () -> serve(file)));
    }

    private static void serve(Path file) throws Exception {
        JsonNode fixture = ConformanceFixtures.read(file);
        assertThat(fixture.path("source").asText())
                .as("every fixture names its source")
                .isNotBlank();
        ServerSpec spec = ConformanceFixtures.spec("conformance", fixture.path("server"));
        try (SimulatedFleet fleet = SimulatedFleet.start(List.of(spec))) {
            SimulatedServer server = fleet.server("conformance");
            for (String part : List.of("setup", "exchanges")) {
                int index = 0;
                for (JsonNode step : fixture.path(part)) {
                    String where = part + "[" + index++ + "]";
                    if (step.has("control")) {
                        control(server, step, where);
                    } else {
                        exchange(server, step, where);
                    }
                }
            }
        }
    }

    private static void control(SimulatedServer server, JsonNode step, String where) {
        String session = step.path("session").asText();
        switch (step.path("control").asText()) {
            case "scan" -> assertThat(server.scan(session)).as(where + " scan").isTrue();
            case "drop" -> assertThat(server.drop(session)).as(where + " drop").isTrue();
            case "await" ->
                await().atMost(Duration.ofSeconds(3))
                        .untilAsserted(() -> assertThat(server.accounts())
                                .as(where)
                                .containsEntry(session, step.path("state").asText()));
            default -> throw new IllegalArgumentException(where + ": unknown control " + step);
        }
    }

    private static void exchange(SimulatedServer server, JsonNode step, String where) throws Exception {
        JsonNode request = step.path("request");
        JsonNode expected = step.path("response");
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + request.path("path").asText()))
                .timeout(Duration.ofSeconds(10));
        request.path("headers")
                .fields()
                .forEachRemaining(h -> builder.header(h.getKey(), h.getValue().asText()));
        if (request.has("body")) {
            builder.header("Content-Type", "application/json");
            builder.method(
                    request.path("method").asText(),
                    HttpRequest.BodyPublishers.ofString(request.get("body").toString()));
        } else {
            builder.method(request.path("method").asText(), HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        String what = where + " " + request.path("method").asText() + " "
                + request.path("path").asText();

        assertThat(response.statusCode())
                .as(what + " status")
                .isEqualTo(expected.path("status").asInt());
        String type = expected.path("headers").path("Content-Type").asText(null);
        if (type == null) {
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(what + " no Content-Type")
                    .isEmpty();
        } else {
            assertThat(response.headers().firstValue("Content-Type").orElse("").split(";")[0])
                    .as(what + " Content-Type")
                    .isEqualTo(type);
        }
        JsonNode body = expected.path("body");
        if (body.isNull()) {
            assertThat(response.body()).as(what + " an empty body").isEmpty();
        } else if (body.isTextual() && body.asText().equals("<png>")) {
            assertThat(JsonShape.isPng(response.body())).as(what + " a PNG").isTrue();
        } else {
            JsonNode actual = Json.MAPPER.readTree(response.body());
            assertThat(JsonShape.differences(body, actual))
                    .as(what + " body " + actual)
                    .isEmpty();
        }
    }
}
