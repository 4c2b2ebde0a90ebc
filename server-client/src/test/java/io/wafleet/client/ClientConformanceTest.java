package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The client against every conformance fixture that records a client call: the recorded answers of the real servers
 * are replayed over HTTP, the client must make exactly the recorded requests, in order, and read the answers into
 * the recorded outcome.
 */
class ClientConformanceTest {

    private static final Path ROOT = Path.of(System.getProperty("wafleet.conformance", "../conformance"));
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServerClients CLIENTS = new ServerClients(ClientSettings.defaults());

    @AfterAll
    static void close() {
        CLIENTS.close();
    }

    @TestFactory
    Stream<DynamicTest> theClientReadsWhatTheRealServersAnswer() throws IOException {
        List<Path> fixtures = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(file -> file.toString().endsWith(".json")).sorted().forEach(fixtures::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : fixtures) {
            JsonNode fixture = read(file);
            if (fixture.has("call")) {
                tests.add(DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> replay(fixture)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(35);
        return tests.stream();
    }

    private static void replay(JsonNode fixture) throws Exception {
        List<JsonNode> exchanges = new ArrayList<>();
        fixture.path("exchanges").forEach(exchanges::add);
        try (FixtureReplay server = new FixtureReplay(exchanges)) {
            JsonNode spec = fixture.path("server");
            Dialect dialect = Dialect.valueOf(spec.path("dialect").asText());
            ServerClient client = CLIENTS.forEndpoint(ServerEndpoint.of("fixture", server.baseUrl(), dialect)
                    .withHealthPath(dialect == Dialect.WAHA ? "/api/server/status" : "/")
                    .withApiKey(spec.path("apiKey").asText())
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
            JsonNode call = fixture.path("call");
            String account = call.path("account").asText();
            CallResult<?> result = switch (call.path("name").asText()) {
                case "health" -> client.health().join();
                case "connect" -> client.connect(account, null).join();
                case "status" -> client.status(account).join();
                case "refreshQr" -> client.refreshQr(account).join();
                case "disconnect" -> client.disconnect(account).join();
                default -> throw new IllegalArgumentException("unknown call " + call);
            };
            assertThat(server.problems())
                    .as("requests (served: %s)", server.served())
                    .isEmpty();
            expect(fixture.path("expect"), result);
        }
    }

    private static void expect(JsonNode expect, CallResult<?> result) {
        if (expect.has("failure")) {
            assertThat(result).isInstanceOfSatisfying(CallResult.Failed.class, failed -> {
                assertThat(failed.kind().name())
                        .isEqualTo(expect.path("failure").asText());
                if (expect.has("httpStatus")) {
                    assertThat(failed.httpStatus())
                            .isEqualTo(expect.path("httpStatus").asInt());
                }
                if (expect.has("message")) {
                    assertThat(failed.message())
                            .isEqualTo(expect.path("message").asText());
                }
            });
            return;
        }
        assertThat(result.isOk()).as("%s", result).isTrue();
        Object value = result.orElseThrow();
        if (value instanceof HealthReport report) {
            assertThat(report.getVersion()).isEqualTo(expect.path("version").asText());
            assertThat(report.getTier()).isEqualTo(expect.path("tier").asText(null));
            JsonNode accounts = expect.path("accounts");
            assertThat(report.getAccounts().getTotal())
                    .isEqualTo(accounts.path("total").asInt());
            assertThat(report.getAccounts().getConnected())
                    .isEqualTo(accounts.path("connected").asInt());
            assertThat(report.getAccounts().getConnecting())
                    .isEqualTo(accounts.path("connecting").asInt());
            return;
        }
        SessionInfo session = (SessionInfo) value;
        assertThat(session.state().name()).isEqualTo(expect.path("state").asText());
        if (expect.has("serverStatus")) {
            assertThat(session.serverStatus())
                    .isEqualTo(expect.path("serverStatus").asText());
        }
        if (expect.path("qr").asBoolean(false)) {
            assertThat(session.qrCode()).isEqualTo("data:image/png;base64," + FixtureReplay.PNG_BASE64);
        } else {
            assertThat(session.qrCode()).isNull();
        }
    }

    private static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
