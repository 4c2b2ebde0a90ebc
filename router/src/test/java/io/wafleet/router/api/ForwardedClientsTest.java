package io.wafleet.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ForwardedClientsTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

    private final ForwardedClients clients = at(KEY, NOW);

    @Test
    void aSignedClientIsReadBackByARouterWithTheSameKey() {
        String header = at(KEY, NOW).sign("203.0.113.7");

        assertThat(clients.verify(header)).hasValue("203.0.113.7");
        assertThat(clients.verify(at(KEY, NOW).sign("2001:db8::1"))).hasValue("2001:db8::1");
    }

    @Test
    void aForgedAlteredOrStaleHeaderIsIgnored() {
        String header = clients.sign("203.0.113.7");

        assertThat(clients.verify(at(OTHER_KEY, NOW).sign("203.0.113.7")))
                .as("another key")
                .isEmpty();
        assertThat(clients.verify(header.replace("203.0.113.7", "203.0.113.8")))
                .as("altered")
                .isEmpty();
        assertThat(at(KEY, NOW.plus(ForwardedClients.VALID_FOR).plusSeconds(1)).verify(header))
                .as("replayed later")
                .isEmpty();
        assertThat(clients.verify("203.0.113.7")).isEmpty();
        assertThat(clients.verify("203.0.113.7;x;y")).isEmpty();
        assertThat(clients.verify(";;")).isEmpty();
        assertThat(clients.verify("a;1;!!!")).isEmpty();
        assertThat(clients.verify(null)).isEmpty();
        assertThat(ForwardedClients.of(" ", Clock.systemUTC()))
                .as("no shared key")
                .isEmpty();
    }

    @Test
    void theClientAddressOfAForwardedCallIsItsSignedClientAndOtherwiseTheCaller() {
        ClientAddress addresses = new ClientAddress(List.of(), Optional.of(clients));
        MockHttpServletRequest forwarded = request("10.0.0.5");
        forwarded.addHeader(ForwardedClients.HEADER, clients.sign("203.0.113.7"));
        MockHttpServletRequest forged = request("198.51.100.9");
        forged.addHeader(ForwardedClients.HEADER, at(OTHER_KEY, NOW).sign("203.0.113.7"));

        assertThat(addresses.of(forwarded)).isEqualTo("203.0.113.7");
        assertThat(addresses.of(forged)).isEqualTo("198.51.100.9");
        assertThat(addresses.forwardedHeader(request("192.0.2.1")).flatMap(clients::verify))
                .as("the header a forwarding router sends names its own caller")
                .hasValue("192.0.2.1");
        assertThat(new ClientAddress(List.of()).of(forwarded))
                .as("a router without the key believes no header")
                .isEqualTo("10.0.0.5");
    }

    private static MockHttpServletRequest request(String remote) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/ping");
        request.setRemoteAddr(remote);
        return request;
    }

    private static ForwardedClients at(String key, Instant now) {
        return ForwardedClients.of(key, Clock.fixed(now, ZoneOffset.UTC)).orElseThrow();
    }
}
