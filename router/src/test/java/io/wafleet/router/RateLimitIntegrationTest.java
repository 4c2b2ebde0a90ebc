package io.wafleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.router.api.ForwardedClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The API's rate limits per client address and per token, over real HTTP. */
@WafleetIntegrationTest
class RateLimitIntegrationTest {

    private static final String BUSY = "busy-reader-token-0123";
    private static final String OTHER = "other-reader-token-0123";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndOtherEndpointsStayOpen(KafkaCluster kafka) throws Exception {
        try (ConfigurableApplicationContext router = start(kafka, "--wafleet.router.rate-limit-per-second=5")) {
            String base = base(router);
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(get(base + "/api/v1/ping", null, null));
            }
            HttpResponse<String> health = get(base + "/livez", null, null);

            assertThat(responses.subList(0, 5))
                    .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(responses)
                    .filteredOn(r -> r.statusCode() == 429)
                    .isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r.headers().firstValue("retry-after")).isPresent();
                        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
                        assertThat(r.body()).contains("from this address");
                    });
            assertThat(health.statusCode()).as("/livez: %s", health.body()).isEqualTo(200);
        }
    }

    @Test
    void oneBusyTokenIsLimitedWithoutLimitingTheOthers(KafkaCluster kafka) throws Exception {
        try (ConfigurableApplicationContext router = start(
                kafka,
                "--wafleet.router.rate-limit-per-second=0",
                "--wafleet.router.token-rate-limit-per-second=5",
                "--wafleet.router.public-reads=false",
                "--wafleet.router.read-token=" + BUSY)) {
            String base = base(router);
            List<Integer> busy = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = get(base + "/api/v1/ping", BUSY, null);
                busy.add(response.statusCode());
                if (response.statusCode() == 429) {
                    refusals.add(response.body());
                }
            }
            HttpResponse<String> admin = get(base + "/api/v1/ping", OTHER, null);

            assertThat(busy.subList(0, 5)).containsOnly(200);
            assertThat(busy).contains(429);
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(refusals).allSatisfy(body -> assertThat(body).contains("from this token"));
        }
    }

    @Test
    void forwardedForIsBelievedFromTrustedProxiesOnly(KafkaCluster kafka) throws Exception {
        try (ConfigurableApplicationContext trusting = start(
                        kafka,
                        "--wafleet.router.rate-limit-per-second=3",
                        "--wafleet.router.trusted-proxies=127.0.0.0/8");
                ConfigurableApplicationContext distrusting = start(kafka, "--wafleet.router.rate-limit-per-second=3")) {
            // Behind a trusted proxy, each client behind it has its own bucket.
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                first.add(get(base(trusting) + "/api/v1/ping", null, "203.0.113.1")
                        .statusCode());
            }
            int second =
                    get(base(trusting) + "/api/v1/ping", null, "203.0.113.2").statusCode();
            // From anyone else the header is ignored: a new address each time does not buy a new bucket.
            List<Integer> spoofed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                spoofed.add(get(base(distrusting) + "/api/v1/ping", null, "198.51.100." + i)
                        .statusCode());
            }

            assertThat(first).contains(429);
            assertThat(second).isEqualTo(200);
            assertThat(spoofed).contains(429);
        }
    }

    @Test
    void aCallAnotherRouterForwardedCountsAgainstItsClientNotTheForwardingRouter(KafkaCluster kafka) throws Exception {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        try (ConfigurableApplicationContext owner = start(
                kafka, "--wafleet.router.rate-limit-per-second=3", "--wafleet.router.api-key-encryption-key=" + key)) {
            // As the forwarding router (which shares the key) names each of its callers.
            ForwardedClients forwarding =
                    ForwardedClients.of(key, Clock.systemUTC()).orElseThrow();
            List<Integer> forwarded = new ArrayList<>();
            for (int client = 1; client <= 4; client++) {
                for (int i = 0; i < 3; i++) {
                    forwarded.add(call(base(owner), ForwardedClients.HEADER, forwarding.sign("203.0.113." + client))
                            .statusCode());
                }
            }
            // A header signed with any other key is ignored: the caller's own bucket.
            ForwardedClients forger = ForwardedClients.of(
                            Base64.getEncoder()
                                    .encodeToString(
                                            "a key of its own".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            Clock.systemUTC())
                    .orElseThrow();
            List<Integer> forged = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                forged.add(call(base(owner), ForwardedClients.HEADER, forger.sign("198.51.100." + i))
                        .statusCode());
            }

            assertThat(forwarded)
                    .as("12 forwarded calls of 4 clients, 3 each: within each client's rate")
                    .containsOnly(200);
            assertThat(forged).contains(429);
        }
    }

    private HttpResponse<String> call(String base, String header, String value) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/ping"))
                        .header(header, value)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ConfigurableApplicationContext start(KafkaCluster kafka, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--wafleet.router.admin-token=" + OTHER));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(RouterApplication.class).run(args.toArray(String[]::new));
    }

    private static String base(ConfigurableApplicationContext router) {
        return "http://localhost:" + router.getEnvironment().getProperty("local.server.port");
    }

    private HttpResponse<String> get(String url, String token, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
