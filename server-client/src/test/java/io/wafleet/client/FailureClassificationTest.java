package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthReport;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every simulator fault gives its error kind, in every dialect; a server that recovers answers again. */
class FailureClassificationTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(400);

    private static SimulatedFleet fleet;
    private static ServerClients clients;

    @BeforeAll
    static void startFleet() {
        fleet = SimulatedFleet.start(Arrays.stream(Dialect.values())
                .map(dialect -> ServerSpec.of(dialect.name(), dialect))
                .toList());
        clients = new ServerClients(ClientSettings.defaults());
    }

    @AfterAll
    static void stopFleet() {
        clients.close();
        fleet.close();
    }

    @AfterEach
    void recoverEveryServer() {
        fleet.servers().forEach(SimulatedServer::recover);
    }

    static Stream<Arguments> faults() {
        List<Object[]> cases = List.of(
                new Object[] {Fault.of(Fault.Mode.DOWN), ErrorKind.CONNECT_REFUSED, null},
                new Object[] {Fault.of(Fault.Mode.HANG), ErrorKind.TIMEOUT, null},
                new Object[] {Fault.slow(2_000), ErrorKind.TIMEOUT, null},
                new Object[] {Fault.error(503), ErrorKind.HTTP_STATUS, 503},
                new Object[] {Fault.error(500), ErrorKind.HTTP_STATUS, 500},
                new Object[] {Fault.of(Fault.Mode.MALFORMED), ErrorKind.BAD_BODY, 200},
                new Object[] {Fault.of(Fault.Mode.OVERSIZED), ErrorKind.BAD_BODY, null});
        return Arrays.stream(Dialect.values())
                .flatMap(dialect -> cases.stream().map(c -> Arguments.of(dialect, c[0], c[1], c[2])));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("faults")
    void aFaultGivesItsErrorKindAndRecoveryEndsIt(Dialect dialect, Fault fault, ErrorKind kind, Integer status) {
        SimulatedServer server = fleet.server(dialect.name());
        ServerClient client = clients.forEndpoint(endpoint(server));
        server.fault(fault);

        CallResult<HealthReport> failed = client.health().join();

        assertThat(failed).isInstanceOfSatisfying(CallResult.Failed.class, failure -> {
            assertThat(failure.kind()).isEqualTo(kind);
            assertThat(failure.httpStatus()).isEqualTo(status);
            assertThat(failure.message()).isNotBlank();
        });
        server.recover();
        assertThat(client.health().join().isOk()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aHangingServerDoesNotHoldUpCallsToOthers(Dialect dialect) {
        SimulatedServer hanging = fleet.server(dialect.name());
        hanging.fault(Fault.of(Fault.Mode.HANG));
        List<SimulatedServer> others =
                fleet.servers().stream().filter(s -> s != hanging).toList();

        List<CompletableFuture<CallResult<HealthReport>>> hung = Stream.generate(
                        () -> clients.forEndpoint(endpoint(hanging)).health())
                .limit(20)
                .toList();
        List<CallResult<HealthReport>> answered = others.stream()
                .map(server -> clients.forEndpoint(endpoint(server)).health().join())
                .toList();

        assertThat(answered).allSatisfy(result -> assertThat(result.isOk()).isTrue());
        assertThat(hung)
                .allSatisfy(future -> assertThat(
                                future.orTimeout(5, TimeUnit.SECONDS).join())
                        .isInstanceOfSatisfying(
                                CallResult.Failed.class,
                                failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.TIMEOUT)));
    }

    @Test
    void aPooledConnectionTheServerClosedBeforeTheRequestIsAsRefused() {
        CallResult.Failed<Object> failed = Failures.classify(
                new java.util.concurrent.CompletionException(
                        new org.apache.hc.core5.http.RequestNotExecutedException("Connection is closed")),
                java.time.Duration.ZERO);

        assertThat(failed.kind()).isEqualTo(ErrorKind.CONNECT_REFUSED);
        assertThat(failed.message()).isEqualTo("connection closed by the server before the request was sent");
    }

    @Test
    void anUnknownHostIsADnsFailure() {
        ServerClient client = clients.forEndpoint(
                ServerEndpoint.of("nowhere", "http://wafleet-no-such-host.invalid:3001", Dialect.SEED)
                        .withTimeouts(Duration.ofSeconds(2), REQUEST_TIMEOUT));

        assertThat(client.health().join())
                .isInstanceOfSatisfying(
                        CallResult.Failed.class,
                        failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.DNS));
    }

    @Test
    void garbageWhereASessionWasExpectedIsABadBody() {
        SimulatedServer server = fleet.server(Dialect.SEED.name());
        server.fault(Fault.of(Fault.Mode.MALFORMED));

        CallResult<SessionInfo> result =
                clients.forEndpoint(endpoint(server)).connect("a", "A").join();

        assertThat(result)
                .isInstanceOfSatisfying(
                        CallResult.Failed.class,
                        failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.BAD_BODY));
    }

    /** A server's error page or garbage may echo anything; the failure says its size and type, never its text. */
    @ParameterizedTest(name = "HTTP {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {500, 200})
    void whatAServerSaysIsNotEchoedIntoTheFailure(int status) throws Exception {
        String secret = "internal-10.0.0.7-apikey-hunter2";
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = ("<html>proxy error: " + secret + "</html>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(status, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try {
            ServerClient client = clients.forEndpoint(ServerEndpoint.of(
                            "echo", "http://127.0.0.1:" + server.getAddress().getPort(), Dialect.SEED)
                    .withTimeouts(Duration.ofSeconds(2), REQUEST_TIMEOUT));

            assertThat(client.health().join()).isInstanceOfSatisfying(CallResult.Failed.class, failed -> {
                assertThat(failed.kind()).isEqualTo(status == 200 ? ErrorKind.BAD_BODY : ErrorKind.HTTP_STATUS);
                assertThat(failed.message())
                        .doesNotContain(secret)
                        .doesNotContain("proxy error")
                        .contains("bytes, text/html)");
            });
        } finally {
            server.stop(0);
        }
    }

    static ServerEndpoint endpoint(SimulatedServer server) {
        return ServerEndpoint.of(server.id(), server.baseUrl(), server.dialect())
                .withTimeouts(Duration.ofSeconds(1), REQUEST_TIMEOUT);
    }
}
