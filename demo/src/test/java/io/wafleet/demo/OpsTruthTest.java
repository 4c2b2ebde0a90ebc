package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.platform.FreePorts;
import io.wafleet.platform.junit.OutsideTool;
import io.wafleet.simulator.Fault;
import io.wafleet.simulator.SimulatedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What ops see, against the running platform (every service its own process, the simulated fleet of
 * examples/servers.json, the embedded broker and database) and a real Prometheus scraping it with
 * deploy/prometheus/alerts.yml: SQL and the router answer the same status as a server fails, recovers and degrades;
 * the "server unhealthy" alert fires and resolves; the 1-minute windows' P95/P99 equal percentile_disc over the
 * audited checks; and every metric the rules and the Grafana dashboard name is one the services expose.
 */
@ResourceLock(DemoTests.ONE_AT_A_TIME)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsTruthTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String VICTIM = "WA-Production-eu-west-04";
    private static final int VICTIM_PORT = 3004;
    private static final Path HOME = MonitoringFiles.HOME;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OutsideTool PROMETHEUS =
            OutsideTool.of("Prometheus", "apt-get install prometheus", "prometheus");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;

    private static DemoPlatform platform;
    private static AuditQueries sql;
    private static Ports ports;
    private static PrometheusServer prometheus;
    private static String victimId;
    private static SimulatedServer victim;

    @BeforeAll
    static void start() throws Exception {
        FreePorts free = new FreePorts();
        ports = Ports.of(free.next(), free.next(), free.next(), free.next(), free.next());
        platform = DemoPlatform.start(
                HOME, data, HOME.resolve("examples/servers.json"), ports, free.next(), Duration.ofSeconds(20));
        sql = new AuditQueries(platform.database());
        victim = platform.fleet().servers().stream()
                .filter(server -> server.port() == VICTIM_PORT)
                .findFirst()
                .orElseThrow();
        await().atMost(WAIT).until(() -> serverIdByName(VICTIM) != null);
        victimId = serverIdByName(VICTIM);
        if (PROMETHEUS.present()) {
            Files.createDirectories(data.resolve("prometheus"));
            Map<String, String> targets = new LinkedHashMap<>();
            targets.put("wafleet-router", "127.0.0.1:" + ports.routerManagement);
            targets.put("wafleet-health-probe", "127.0.0.1:" + ports.probe);
            targets.put("wafleet-event-sink", "127.0.0.1:" + ports.sink);
            targets.put("wafleet-stats-aggregator", "127.0.0.1:" + ports.aggregator);
            prometheus = PrometheusServer.start(
                    PROMETHEUS.requireOne(), data.resolve("prometheus"), MonitoringFiles.RULES, targets);
        }
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void sqlAndTheRouterAgreeAsAServerFailsRecoversAndDegrades() throws Exception {
        await().atMost(WAIT).until(() -> agree("HEALTHY"));

        victim.fault(Fault.of(Fault.Mode.DOWN));
        // A connect pinned to the refusing server: a failed call from the router, counted by kind.
        connect("ops-truth-pinned", victimId);
        await().atMost(WAIT).until(() -> agree("UNHEALTHY"));
        assertThat(sqlReason(victimId)).contains("consecutive failed checks");

        victim.recover();
        await().atMost(WAIT).until(() -> agree("HEALTHY"));

        victim.reportStatus("degraded");
        await().atMost(WAIT).until(() -> agree("DEGRADED"));
        assertThat(sqlReason(victimId)).isEqualTo("the server reports degraded");

        victim.reportStatus("healthy");
        await().atMost(WAIT).until(() -> agree("HEALTHY"));
    }

    @Test
    @Order(2)
    void theServerUnhealthyAlertFiresInPrometheusAndResolvesAfterRecovery() throws Exception {
        PROMETHEUS.require();
        await().atMost(WAIT).until(() -> agree("HEALTHY"));
        // The outage of the test before may still be pending: Prometheus drops it at its next scrape and evaluation.
        await().atMost(WAIT).until(() -> !prometheus.active("WafleetServerUnhealthy", "server", VICTIM));

        victim.fault(Fault.of(Fault.Mode.DOWN));
        await().atMost(WAIT).until(() -> prometheus.firing("WafleetServerUnhealthy", "server", VICTIM));
        JsonNode alert = prometheus.alerts().stream()
                .filter(a -> a.path("labels").path("server").asText().equals(VICTIM))
                .findFirst()
                .orElseThrow();
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("labels").path("environment").asText()).isEqualTo("production");
        assertThat(alert.path("annotations").path("summary").asText()).contains(VICTIM);

        victim.recover();
        await().atMost(WAIT).until(() -> !prometheus.active("WafleetServerUnhealthy", "server", VICTIM));
        assertThat(routerStatus(victimId)).isEqualTo("HEALTHY");
    }

    @Test
    @Order(3)
    void aServerThatFailedABurstOfConnectsIsBackInRotationAtRiseAndStaysThereWhenItsWindowCloses() throws Exception {
        await().atMost(WAIT).until(() -> agree("HEALTHY"));

        // Given 30 connects pinned to the server while it refuses connections: 30 passive failures in a burst,
        // early enough in a minute that the burst stays in it
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Instant.now().atZone(java.time.ZoneOffset.UTC).getSecond() < 40);
        victim.fault(Fault.of(Fault.Mode.DOWN));
        Instant burst = Instant.now();
        List<CompletableFuture<HttpResponse<String>>> connects = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            connects.add(connectAsync("ops-truth-burst-" + i, victimId));
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> agree("UNHEALTHY"));

        // When it recovers
        victim.recover();
        long recovered = System.nanoTime();
        await().atMost(WAIT).until(() -> agree("HEALTHY"));
        System.out.printf("back HEALTHY %d ms after recovery%n", (System.nanoTime() - recovered) / 1_000_000);

        // Then it is still HEALTHY once the minute holding the burst has closed with its error rate over 10 %
        Instant minute = burst.truncatedTo(ChronoUnit.MINUTES);
        await().atMost(Duration.ofSeconds(150))
                .until(() -> closedMinute(victimId).isAfter(minute.minusSeconds(1)));
        assertThat(sqlErrorRateOfMinute(victimId, minute)).isGreaterThan(0.1);
        assertThat(agree("HEALTHY"))
                .as("router and SQL both HEALTHY after the window closed")
                .isTrue();
        System.out.printf(
                "the burst's window closed %d ms after recovery; still HEALTHY%n",
                (System.nanoTime() - recovered) / 1_000_000);
    }

    @Test
    @Order(4)
    void windowQuantilesEqualPercentileDiscOverTheAuditedChecksOfTheirWindow() throws Exception {
        List<Map<String, Object>> windows =
                await().atMost(Duration.ofSeconds(150)).until(OpsTruthTest::closedWindows, found -> found.size() >= 6);

        for (Map<String, Object> window : windows) {
            String serverId = (String) window.get("server_id");
            Object start = window.get("window_start");
            Object end = window.get("window_end");
            long count = ((Number) window.get("count")).longValue();
            // Every check of the window is in the audit trail before its figures are compared.
            await().atMost(Duration.ofSeconds(30)).until(() -> auditedChecks(serverId, start, end) == count);
            Map<String, Object> disc = percentileDisc(serverId, start, end);
            assertThat(((Number) window.get("p95_micros")).doubleValue())
                    .as("P95 of %s from %s", serverId, start)
                    .isEqualTo(((Number) disc.get("p95")).doubleValue());
            assertThat(((Number) window.get("p99_micros")).doubleValue())
                    .as("P99 of %s from %s", serverId, start)
                    .isEqualTo(((Number) disc.get("p99")).doubleValue());
        }
    }

    @Test
    @Order(5)
    void everyMetricTheRulesAndTheDashboardNameIsExposedByTheServices() throws Exception {
        Set<String> named = new TreeSet<>();
        named.addAll(MonitoringFiles.metricNames(MonitoringFiles.ruleExpressions()));
        named.addAll(MonitoringFiles.metricNames(MonitoringFiles.dashboardExpressions()));
        assertThat(named).hasSizeGreaterThan(15);

        // Pool windows close a window after their servers' (they merge closed server windows): wait for them too.
        await().atMost(Duration.ofSeconds(150))
                .untilAsserted(() -> assertThat(exposedMetrics()).containsAll(named));
    }

    private static Set<String> exposedMetrics() throws IOException, InterruptedException {
        Set<String> exposed = new TreeSet<>();
        for (int port : new int[] {ports.routerManagement, ports.probe, ports.sink, ports.aggregator}) {
            for (String line :
                    get("http://127.0.0.1:" + port + "/actuator/prometheus").split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    exposed.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        exposed.add("up"); // Prometheus's own, per scrape target
        return exposed;
    }

    @Test
    @Order(6)
    void everyDashboardQueryRunsOnPrometheusAndTheFleetPanelsHaveData() throws Exception {
        PROMETHEUS.require();
        for (String expression : MonitoringFiles.dashboardExpressions()) {
            JsonNode answer = prometheus.query(expression);
            assertThat(answer.path("status").asText())
                    .as(expression + ": " + answer)
                    .isEqualTo("success");
        }
        await().atMost(WAIT)
                .until(() -> prometheus
                                .query("count by (status) (max by (server_id, status) (wafleet_server_status))")
                                .path("data")
                                .path("result")
                                .size()
                        > 0);
        JsonNode up = prometheus.query("sum(up{job=~\"wafleet.*\"})");
        assertThat(up.path("data").path("result").get(0).path("value").get(1).asDouble())
                .isEqualTo(4.0);
    }

    /** Both the router and server_health_status say {@code status} of the victim now. */
    private static boolean agree(String status) throws Exception {
        return status.equals(routerStatus(victimId)) && status.toLowerCase().equals(sqlStatus(victimId));
    }

    private static String routerStatus(String serverId) throws IOException, InterruptedException {
        return JSON.readTree(get(platform.routerUrl() + "/api/v1/servers/" + serverId))
                .path("status")
                .asText();
    }

    private static String serverIdByName(String name) throws IOException, InterruptedException {
        for (JsonNode server :
                JSON.readTree(get(platform.routerUrl() + "/api/v1/servers")).path("servers")) {
            if (server.path("name").asText().equals(name)) {
                return server.path("id").asText();
            }
        }
        return null;
    }

    private static void connect(String accountId, String serverId) throws Exception {
        connectAsync(accountId, serverId).get(30, TimeUnit.SECONDS);
    }

    private static CompletableFuture<HttpResponse<String>> connectAsync(String accountId, String serverId) {
        return HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(
                                platform.routerUrl() + "/api/v1/accounts/" + accountId + "/connect?timeoutMs=10000"))
                        .header("Authorization", "Bearer " + platform.adminToken())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"serverId\": \"" + serverId + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String sqlStatus(String serverId) throws SQLException {
        return (String) sql.value("SELECT health_status FROM server_health_status WHERE server_id = ?", serverId);
    }

    private static String sqlReason(String serverId) throws SQLException {
        return (String) sql.value("SELECT health_reason FROM server_health_status WHERE server_id = ?", serverId);
    }

    /** Closed 1-minute windows of servers with latencies, at least 15 s past their end, oldest first. */
    private static List<Map<String, Object>> closedWindows() throws SQLException {
        return sql.rows("SELECT server_id, window_start, window_end, count, p95_micros, p99_micros FROM server_metrics"
                + " WHERE scope = 'server' AND window_size_seconds = 60 AND p95_micros IS NOT NULL AND count >= 10"
                + " AND window_end < now() - interval '15 seconds' ORDER BY window_start, server_id");
    }

    private static long auditedChecks(String serverId, Object start, Object end) throws SQLException {
        return ((Number) sql.value(
                        "SELECT count(*) FROM health_checks WHERE server_id = ? AND checked_at >= ? AND checked_at < ?",
                        serverId,
                        start,
                        end))
                .longValue();
    }

    /** What ops would compute: percentile_disc(0.95) and (0.99) over the successful checks' latencies. */
    private static Map<String, Object> percentileDisc(String serverId, Object start, Object end) throws SQLException {
        return sql.rows(
                        "SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_micros) AS p95,"
                                + " percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_micros) AS p99"
                                + " FROM health_checks WHERE server_id = ? AND success AND checked_at >= ?"
                                + " AND checked_at < ?",
                        serverId,
                        start,
                        end)
                .get(0);
    }

    /** The start of the server's latest closed 1-minute window in server_health, or the epoch. */
    private static Instant closedMinute(String serverId) throws SQLException {
        Object start = sql.value("SELECT window_1m_start FROM server_health WHERE server_id = ?", serverId);
        return start == null ? Instant.EPOCH : ((Timestamp) start).toInstant();
    }

    private static double sqlErrorRateOfMinute(String serverId, Instant minute) throws SQLException {
        Object rate = sql.value(
                "SELECT error_rate FROM server_metrics WHERE server_id = ? AND scope = 'server'"
                        + " AND window_size_seconds = 60 AND window_start = ?",
                serverId,
                Timestamp.from(minute));
        assertThat(rate).as("the window of " + minute).isNotNull();
        return ((Number) rate).doubleValue();
    }

    /** A read, with the admin token (reads need a token; other services' actuators ignore it). */
    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + platform.adminToken())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
