package io.wafleet.router.lifecycle;

import static io.wafleet.router.lifecycle.FakeServerClient.failure;
import static io.wafleet.router.lifecycle.FakeServerClient.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ErrorKind;
import io.wafleet.client.CallResult;
import io.wafleet.client.SessionInfo;
import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.OutlierRules;
import io.wafleet.router.select.Outliers;
import io.wafleet.router.select.ServerLoads;
import io.wafleet.router.select.Servers;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ObservedClientTest {

    private final ServerLoads loads = new ServerLoads();

    /** Three failures in a row eject, among 4 servers of which half may be ejected. */
    private Outliers outliers() {
        Fleet fleet = Fleet.of(
                IntStream.range(0, 4)
                        .mapToObj(i -> Servers.server("s" + i, 1, 100, 0))
                        .toList(),
                loads);
        return new Outliers(
                new OutlierRules(true, 3, Duration.ofSeconds(30), Duration.ofMinutes(5), 0.5),
                () -> fleet,
                loads,
                System::nanoTime);
    }

    static List<Arguments> outcomes() {
        return List.of(
                Arguments.of("refused", failure(ErrorKind.CONNECT_REFUSED, null), true),
                Arguments.of("timed out", failure(ErrorKind.TIMEOUT, null), true),
                Arguments.of("DNS", failure(ErrorKind.DNS, null), true),
                Arguments.of("TLS", failure(ErrorKind.TLS, null), true),
                Arguments.of("garbage answer", failure(ErrorKind.BAD_BODY, 200), true),
                Arguments.of("500", failure(ErrorKind.HTTP_STATUS, 500), true),
                Arguments.of("503", failure(ErrorKind.HTTP_STATUS, 503), true),
                Arguments.of("409", failure(ErrorKind.HTTP_STATUS, 409), false),
                Arguments.of("422", failure(ErrorKind.HTTP_STATUS, 422), false),
                Arguments.of("429", failure(ErrorKind.HTTP_STATUS, 429), false),
                Arguments.of("401", failure(ErrorKind.HTTP_STATUS, 401), false),
                Arguments.of("full", failure(ErrorKind.SERVER_FULL, null), false),
                Arguments.of("address refused by policy", failure(ErrorKind.ADDRESS_REFUSED, null), false),
                Arguments.of("unsupported version", failure(ErrorKind.UNSUPPORTED_SERVER, 200), false),
                Arguments.of("success", session(AccountState.QR_REQUIRED, "qr"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void threeInARowEjectOnlyWhenTheyBlameTheServer(String name, CallResult<SessionInfo> outcome, boolean ejects) {
        Outliers outliers = outliers();
        FakeServerClient server = new FakeServerClient();
        server.connectAnswer = outcome;
        ObservedClient client = new ObservedClient(server, "s1", outliers);

        IntStream.range(0, 3).forEach(i -> client.connect("acct-" + i, null).join());

        assertThat(outliers.ejections()).isEqualTo(ejects ? 1 : 0);
        assertThat(loads.cell("s1").ejected(System.nanoTime())).isEqualTo(ejects);
    }

    @Test
    void anAnswerBetweenFailuresStartsTheCountAgainAndAPolicyRefusalDoesNot() {
        Outliers outliers = outliers();
        FakeServerClient server = new FakeServerClient();
        ObservedClient client = new ObservedClient(server, "s1", outliers);
        server.connectAnswer = failure(ErrorKind.TIMEOUT, null);
        client.connect("a", null).join();
        client.connect("b", null).join();
        server.connectAnswer = failure(ErrorKind.HTTP_STATUS, 409);
        client.connect("c", null).join();
        server.connectAnswer = failure(ErrorKind.TIMEOUT, null);
        client.connect("d", null).join();
        client.connect("e", null).join();
        assertThat(outliers.ejections()).as("the 409 ended the run").isZero();

        server.connectAnswer = failure(ErrorKind.ADDRESS_REFUSED, null);
        client.connect("f", null).join();
        server.connectAnswer = failure(ErrorKind.TIMEOUT, null);
        client.connect("g", null).join();
        assertThat(outliers.ejections())
                .as("a call never made neither counts nor ends the run")
                .isEqualTo(1);
    }
}
