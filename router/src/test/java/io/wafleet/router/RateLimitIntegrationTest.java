package io.wafleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The public API's per-client rate limit, over real HTTP. */
@WafleetIntegrationTest
class RateLimitIntegrationTest {

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndOtherEndpointsStayOpen(KafkaCluster kafka) throws Exception {
        try (ConfigurableApplicationContext router = new SpringApplicationBuilder(RouterApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--wafleet.router.rate-limit-per-second=5")) {
            String base = "http://localhost:" + router.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/ping"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/livez")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(responses.subList(0, 5))
                    .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(responses)
                    .filteredOn(r -> r.statusCode() == 429)
                    .isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r.headers().firstValue("retry-after")).isPresent();
                        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
                    });
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }
}
