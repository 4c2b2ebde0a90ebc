package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text a server answers loses its control characters at the edge: it goes into events and the audit. */
class ServerTextTest {

    @Test
    void aNulInWhatAServerSaysIsDroppedNotCarriedIntoTheRecords() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> exchanges = new ArrayList<>();
        for (String exchange : List.of("""
                {"request": {"method": "GET", "path": "/api/server/status"},
                 "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                              "body": {"startTimestamp": 1, "uptime": 1000}}}""", """
                {"request": {"method": "GET", "path": "/api/server/version"},
                 "response": {"status": 200, "headers": {"Content-Type": "application/json"},
                              "body": {"version": "2024.10.8\\u0000\\u0007", "tier": "PLUS", "engine": "WEBJS"}}}""", """
                {"request": {"method": "GET", "path": "/api/sessions?all=true"},
                 "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": []}}""")) {
            exchanges.add(mapper.readTree(exchange));
        }
        try (FixtureReplay server = new FixtureReplay(exchanges);
                ServerClients clients = new ServerClients(ClientSettings.defaults())) {
            ServerClient client = clients.forEndpoint(ServerEndpoint.of("nul", server.baseUrl(), Dialect.WAHA)
                    .withHealthPath("/api/server/status")
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));

            HealthReport report = client.health().join().orElseThrow();

            assertThat(server.problems()).isEmpty();
            assertThat(report.getVersion()).isEqualTo("2024.10.8");
        }
    }
}
