package io.wafleet.bench.router;

import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import io.wafleet.bench.peers.constant.ConstantApplication;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.router.RouterApplication;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * HTTP selection throughput: the router with a health table of {@code --servers} servers on an embedded broker,
 * loaded with wrk on loopback: {@code /api/v1/servers/select} beside {@code /api/v1/ping} (the router's own cheapest
 * answer: its token check, the path firewall, the body cap and both rate-limit filters on the way) and beside a
 * separate minimal Spring Boot MVC application answering the select's body as a constant ({@link
 * ConstantApplication}, same JVM), alternately.
 */
@Command(name = "router-http-throughput", mixinStandardHelpOptions = true)
public final class RouterHttpThroughput implements Callable<Integer> {

    private static final String TOKEN = "bench-read-token-0123456789";

    @Option(names = "--servers", defaultValue = "1000")
    int servers;

    @Option(names = "--connections", defaultValue = "64")
    int connections;

    @Option(names = "--seconds", defaultValue = "20")
    int seconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterHttpThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("wafleet-router-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            publish(kafka.bootstrapServers());
            try (ConfigurableApplicationContext router = new SpringApplicationBuilder(RouterApplication.class)
                    .run(
                            "--server.port=0",
                            "--management.server.port=0",
                            "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                            "--management.endpoint.health.group.readiness.include=readinessState,fleet",
                            // One wrk client would meet the per-client and per-token limits; the bench measures the
                            // ceiling.
                            "--wafleet.router.rate-limit-per-second=0",
                            "--wafleet.router.token-rate-limit-per-second=0",
                            // Reads need a token, as deployed: both endpoints are called with it.
                            "--wafleet.router.read-token=" + TOKEN,
                            "--logging.level.root=WARN")) {
                String base = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.server.port");
                HttpClient http = HttpClient.newHttpClient();
                while (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/readyz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        != 200) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                String select = base + "/api/v1/servers/select?environment=production&minCapacity=10";
                System.out.println("select answers: "
                        + http.send(
                                        HttpRequest.newBuilder(URI.create(select))
                                                .header("Authorization", "Bearer " + TOKEN)
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body());
                ConstantApplication.body = http.send(
                                HttpRequest.newBuilder(URI.create(select))
                                        .header("Authorization", "Bearer " + TOKEN)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                try (ConfigurableApplicationContext peer =
                        new SpringApplicationBuilder(ConstantApplication.class).run(ConstantApplication.ARGUMENTS)) {
                    String constant =
                            "http://127.0.0.1:" + peer.getEnvironment().getProperty("local.server.port") + "/select";
                    for (String url : List.of(base + "/api/v1/ping", select, constant, select, constant)) {
                        wrk(url);
                    }
                }
            }
        }
        return 0;
    }

    private void wrk(String url) throws Exception {
        Process wrk = new ProcessBuilder(
                        "wrk",
                        "-t2",
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--latency",
                        "-H",
                        "Authorization: Bearer " + TOKEN,
                        url)
                .redirectErrorStream(true)
                .start();
        System.out.println("== " + url);
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(wrk.getInputStream(), StandardCharsets.UTF_8))) {
            out.lines()
                    .filter(line -> line.contains("Requests/sec")
                            || line.contains("50%")
                            || line.contains("99%")
                            || line.contains("Non-2xx"))
                    .forEach(line -> System.out.println("  " + line.trim()));
        }
        wrk.waitFor();
    }

    private void publish(String bootstrap) throws Exception {
        Topic<String, ServerHealth> topic = Topics.defaults().serverHealth();
        String[] environments = {"production", "staging", "development"};
        Instant now = Instant.now();
        try (KafkaProducer<String, ServerHealth> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                topic.valueSerde().serializer())) {
            for (int i = 0; i < servers; i++) {
                producer.send(new ProducerRecord<>(
                        topic.name(),
                        "srv-" + i,
                        ServerHealth.newBuilder()
                                .setServerId("srv-" + i)
                                .setName("server-" + i)
                                .setStatus(i % 10 == 0 ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY)
                                .setStatusSince(now)
                                .setUpdatedAt(now)
                                .setLastCheckAt(now)
                                .setBaseUrl("http://10.0.0." + (i % 250) + ":3000")
                                .setEnvironment(environments[i % 3])
                                .setLocation(i % 2 == 0 ? "eu" : "us")
                                .setPriority(1 + i % 2)
                                .setWeight(1 + i % 10)
                                .setCapacity(2_000)
                                .setConnectedAccounts(i % 1_900)
                                .build()));
            }
            producer.flush();
        }
    }
}
