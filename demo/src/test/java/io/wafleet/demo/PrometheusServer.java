package io.wafleet.demo;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.platform.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus server (Debian's package) as a child process on loopback: scrapes the given services'
 * {@code /actuator/prometheus} every 2 s, evaluates the given rule file every 2 s, and answers its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * @param targets scrape job name → host:port
     */
    static PrometheusServer start(Path executable, Path folder, Path rules, Map<String, String> targets)
            throws IOException {
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 2s\n  evaluation_interval: 2s\n")
                .append("rule_files:\n  - ")
                .append(rules.toAbsolutePath())
                .append("\nscrape_configs:\n");
        targets.forEach((job, target) -> config.append("  - job_name: ")
                .append(job)
                .append("\n    metrics_path: /actuator/prometheus\n    static_configs:\n      - targets: ['")
                .append(target)
                .append("']\n"));
        Path file = Files.writeString(folder.resolve("prometheus.yml"), config);
        int port = new FreePorts().next();
        Process process = new ProcessBuilder(
                        executable.toString(),
                        "--config.file=" + file,
                        "--storage.tsdb.path=" + folder.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> server.ready());
        return server;
    }

    private boolean ready() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited with " + process.exitValue());
        }
        return http.send(
                                HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                == 200;
    }

    /** The alerts Prometheus holds now (pending or firing), from its own API. */
    List<JsonNode> alerts() throws IOException, InterruptedException {
        List<JsonNode> alerts = new ArrayList<>();
        get("/api/v1/alerts").path("data").path("alerts").forEach(alerts::add);
        return alerts;
    }

    /** Whether an alert of this name, with this label value, is firing. */
    boolean firing(String alertname, String label, String value) throws IOException, InterruptedException {
        return alerts().stream()
                .anyMatch(
                        alert -> alert.path("labels").path("alertname").asText().equals(alertname)
                                && alert.path("labels").path(label).asText().equals(value)
                                && alert.path("state").asText().equals("firing"));
    }

    /** Whether an alert of this name, with this label value, is pending or firing. */
    boolean active(String alertname, String label, String value) throws IOException, InterruptedException {
        return alerts().stream()
                .anyMatch(
                        alert -> alert.path("labels").path("alertname").asText().equals(alertname)
                                && alert.path("labels").path(label).asText().equals(value));
    }

    /** An instant query's whole answer: {@code status}, {@code data.result}, or {@code error}. */
    JsonNode query(String expression) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
    }

    /** The scrape targets' health as Prometheus sees it: job → "up" or the last error. */
    JsonNode targets() throws IOException, InterruptedException {
        return get("/api/v1/targets").path("data").path("activeTargets");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
