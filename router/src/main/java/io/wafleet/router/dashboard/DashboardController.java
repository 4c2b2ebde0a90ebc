package io.wafleet.router.dashboard;

import io.wafleet.avro.ServerHealth;
import io.wafleet.router.FleetState;
import io.wafleet.router.api.Json;
import io.wafleet.router.api.Problems;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the dashboard (the router's {@code /}) needs beyond the read API: the live stream, and in demo mode (with
 * {@code WAFLEET_SIMULATOR_CONTROL_URL}) fault injection into simulated servers through the simulator's control API.
 */
@RestController
class DashboardController {

    private static final Set<String> MODES = Set.of("down", "hang", "slow", "error", "malformed");

    private final LiveFeed feed;
    private final FleetState state;
    private final String controlUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    DashboardController(
            LiveFeed feed,
            FleetState state,
            @Value("${wafleet.router.demo.simulator-control-url:}") String controlUrl) {
        this.feed = feed;
        this.state = state;
        this.controlUrl = controlUrl == null || controlUrl.isBlank() ? null : controlUrl.replaceAll("/+$", "");
    }

    /** Server-sent events: {@code servers} (the fleet table), {@code event} (server events and account steps). */
    @GetMapping(path = "/api/v1/stream", produces = "text/event-stream")
    SseEmitter stream() {
        try {
            return feed.subscribe();
        } catch (LiveFeed.TooManySubscribers e) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }

    @GetMapping("/api/v1/demo")
    Map<String, Object> demo() {
        return Map.of("faultInjection", controlUrl != null);
    }

    /** Makes a simulated server fail: {@code {"mode": "down|hang|slow|error|malformed"}}. */
    @PostMapping("/api/v1/demo/servers/{id}/fault")
    ResponseEntity<?> fault(@PathVariable String id, @RequestBody(required = false) Map<String, Object> body) {
        Json json = new Json(body, "");
        String mode = json.choice("mode", "down", MODES);
        return control(id, "fault", "{\"mode\":\"" + mode + "\"}");
    }

    @PostMapping("/api/v1/demo/servers/{id}/recover")
    ResponseEntity<?> recover(@PathVariable String id) {
        return control(id, "recover", "{}");
    }

    private ResponseEntity<?> control(String id, String action, String body) {
        if (controlUrl == null) {
            return Problems.of(
                    HttpStatus.NOT_FOUND,
                    "not-demo",
                    "Not in demo mode",
                    "fault injection needs a simulator (WAFLEET_SIMULATOR_CONTROL_URL)");
        }
        ServerHealth health = state.health(id);
        if (health == null) {
            return Problems.noSuchServer(id);
        }
        // The simulator knows its servers by the names they were imported under.
        URI uri = URI.create(controlUrl + "/control/servers/"
                + URLEncoder.encode(health.getName(), StandardCharsets.UTF_8).replace("+", "%20") + "/" + action);
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return Problems.of(
                        HttpStatus.BAD_GATEWAY,
                        "simulator-refused",
                        "The simulator refused",
                        "HTTP " + answer.statusCode() + ": " + answer.body());
            }
            return ResponseEntity.ok(Map.of("serverId", id, "name", health.getName(), "action", action));
        } catch (java.io.IOException e) {
            return Problems.of(HttpStatus.BAD_GATEWAY, "simulator-unreachable", "Simulator unreachable", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Problems.of(
                    HttpStatus.SERVICE_UNAVAILABLE, "interrupted", "Interrupted", "the router is shutting down");
        }
    }
}
