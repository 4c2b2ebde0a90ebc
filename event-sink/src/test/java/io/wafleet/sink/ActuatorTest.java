package io.wafleet.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Readiness and Prometheus metrics over HTTP, as ops and orchestrators read them. */
@WafleetIntegrationTest
class ActuatorTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessIsUpAndTheSinksMetricsAreExported(KafkaCluster kafka, PostgresDatabase server) throws Exception {
        PostgresDatabase database = server.createFreshDatabase("sink_actuator");
        String serverId = "srv-" + UUID.randomUUID();
        try (ConfigurableApplicationContext sink = SinkInstance.start(kafka, database, "sink-act-" + serverId)) {
            String base = "http://127.0.0.1:" + sink.getEnvironment().getProperty("local.server.port");
            AuditSinkIntegrationTest.send(
                    kafka,
                    List.of(AuditSinkIntegrationTest.record(
                            io.wafleet.schemas.Topics.defaults().healthChecks(),
                            serverId,
                            Records.healthCheck(serverId, 1))));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> AuditSinkIntegrationTest.count(database.dataSource(), "health_checks", serverId) == 1);

            HttpResponse<String> readiness = get(base + "/actuator/health/readiness");
            HttpResponse<String> metrics = get(base + "/actuator/prometheus");

            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body())
                    .contains("\"status\":\"UP\"")
                    .contains("auditSink")
                    .contains("consuming");
            assertThat(metrics.body()).contains("wafleet_sink_rows_total").contains("wafleet_sink_paused");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
