package io.wafleet.router.api;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.router.FleetState;
import io.wafleet.router.MetricsHistory;
import io.wafleet.router.select.ServerView;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The read API over the health table: {@code GET /api/v1/servers} (filtered) and {@code /api/v1/servers/{id}}. */
@RestController
public class ServersController {

    private final FleetState state;
    private final MetricsHistory history;

    ServersController(FleetState state, MetricsHistory history) {
        this.state = state;
        this.history = history;
    }

    /** {@code GET /api/v1/servers/{id}/metrics?window=1m|5m}: its recent closed windows, newest first. */
    @GetMapping("/api/v1/servers/{id}/metrics")
    ResponseEntity<?> metrics(
            @PathVariable String id, @RequestParam(required = false, defaultValue = "1m") String window) {
        int seconds = switch (window) {
            case "1m" -> 60;
            case "5m" -> 300;
            default -> throw new BadField("window", "must be 1m or 5m, was '" + window + "'");
        };
        if (!state.isCaughtUp()) {
            return Problems.notReady();
        }
        if (state.health(id) == null) {
            return Problems.noSuchServer(id);
        }
        List<Map<String, Object>> windows = history.recent(id, seconds).stream()
                .map(ServersController::metrics)
                .toList();
        return ResponseEntity.ok(Map.of("serverId", id, "window", window, "windows", windows));
    }

    @GetMapping("/api/v1/servers")
    ResponseEntity<?> list(
            @RequestParam(required = false) String environment,
            @RequestParam(required = false) String location,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String tag) {
        if (!state.isCaughtUp()) {
            return Problems.notReady();
        }
        HealthStatus wanted = status(status);
        List<Map<String, Object>> servers = state.fleet().servers().stream()
                .filter(s -> environment == null || s.environment().equals(environment))
                .filter(s -> location == null || s.location().equals(location))
                .filter(s -> wanted == null || s.status() == wanted)
                .filter(s -> tag == null || s.tags().contains(tag))
                .sorted(Comparator.comparing(ServerView::name))
                .map(s -> summary(state.health(s.id())))
                .toList();
        return ResponseEntity.ok(Map.of("count", servers.size(), "servers", servers));
    }

    @GetMapping("/api/v1/servers/{id}")
    ResponseEntity<?> get(@PathVariable String id) {
        if (!state.isCaughtUp()) {
            return Problems.notReady();
        }
        ServerHealth health = state.health(id);
        if (health == null) {
            return Problems.noSuchServer(id);
        }
        Map<String, Object> detail = summary(health);
        detail.put("metrics1m", metrics(health.getMetrics1m()));
        detail.put("metrics5m", metrics(health.getMetrics5m()));
        return ResponseEntity.ok(detail);
    }

    public static Map<String, Object> summary(ServerHealth h) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", h.getServerId());
        json.put("name", h.getName());
        json.put("baseUrl", h.getBaseUrl());
        json.put("dialect", h.getDialect().name().toLowerCase(Locale.ROOT));
        json.put("environment", h.getEnvironment());
        json.put("location", h.getLocation());
        json.put("tags", List.copyOf(h.getTags()));
        json.put("isEnabled", h.getIsEnabled());
        json.put("priority", h.getPriority());
        json.put("weight", h.getWeight());
        json.put("status", h.getStatus().name());
        json.put("reason", h.getReason());
        json.put("statusSince", h.getStatusSince().toString());
        json.put(
                "lastCheckAt",
                h.getLastCheckAt() == null ? null : h.getLastCheckAt().toString());
        json.put("capacity", h.getCapacity());
        json.put("connectedAccounts", h.getConnectedAccounts());
        json.put("utilization", h.getUtilization());
        json.put("version", h.getVersion());
        json.put("tier", h.getTier());
        return json;
    }

    public static Map<String, Object> metrics(ServerMetrics m) {
        if (m == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("windowStart", m.getWindowStart().toString());
        json.put("windowEnd", m.getWindowEnd().toString());
        json.put("count", m.getCount());
        json.put("failures", m.getFailures());
        json.put("errorRate", m.getErrorRate());
        json.put("p50Ms", millis(m.getP50Micros()));
        json.put("p95Ms", millis(m.getP95Micros()));
        json.put("p99Ms", millis(m.getP99Micros()));
        return json;
    }

    private static Double millis(Double micros) {
        return micros == null ? null : micros / 1000;
    }

    private static HealthStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return HealthStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadField("status", "unknown status '" + value + "'; one of " + List.of(HealthStatus.values()));
        }
    }
}
