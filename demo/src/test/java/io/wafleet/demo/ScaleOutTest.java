package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.HealthCheck;
import io.wafleet.platform.FreePorts;
import io.wafleet.platform.junit.TopicCollector;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.platform.postgres.EmbeddedPostgres;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.simulator.SimulatedFleet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Every service twice, as processes on the embedded broker and database, against the simulated fleet: the instances
 * share the work without doing any of it twice, and when one of each stops the others take over with nothing lost.
 */
@ResourceLock(DemoTests.ONE_AT_A_TIME)
class ScaleOutTest {

    private static final Path HOME =
            Path.of(System.getProperty("wafleet.home", "..")).toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOKEN = "scale-out-admin-token";

    private final Topics topics = Topics.defaults();
    private final AdminCalls admin = new AdminCalls(TOKEN);
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentLinkedQueue<HealthCheck> checks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ConnectionEvent> events = new ConcurrentLinkedQueue<>();
    private final Map<String, Set<String>> routersByAccount = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void twoOfEachShareTheWorkAndTheSurvivorsTakeOver(@TempDir Path data) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), List.of("-Xmx384m", "-XX:+UseSerialGC"));
                EmbeddedPostgres postgres = EmbeddedPostgres.start(data.resolve("postgres"));
                SimulatedFleet fleet = SimulatedFleet.fromServersJson(
                        HOME.resolve("examples/servers.json"), 5, 20, Duration.ofSeconds(2), FreePorts.any());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            TopicCollector collector = TopicCollector.start(
                    kafka.bootstrapServers(),
                    "scale-out-test",
                    List.of(
                            topics.healthChecks().name(),
                            topics.connectionEvents().name()),
                    this::collect);
            Map<String, String> common = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "DATABASE_URL", DemoPlatform.databaseUrl(postgres.database()),
                    "WAFLEET_ADMIN_TOKEN", TOKEN,
                    "WAFLEET_API_KEY_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            List<Services.Service> instances = new ArrayList<>();
            FreePorts ports = new FreePorts();
            for (String module : List.of("event-sink", "stats-aggregator", "health-probe", "router")) {
                for (int i = 1; i <= 2; i++) {
                    instances.add(new Services.Service(
                            module,
                            ports.next(),
                            Map.of(
                                    "WAFLEET_AGGREGATOR_STATE_DIR",
                                    data.resolve(module + "-" + i).toString(),
                                    // The router's actuator port (only the router reads it).
                                    "MANAGEMENT_PORT",
                                    Integer.toString(ports.next()))));
                }
            }
            try (Services services = Services.start(HOME, instances, common, data.resolve("logs"))) {
                services.awaitReady(WAIT);
                List<ServiceProcess> all = services.processes();
                ServiceProcess router1 = all.get(6);
                ServiceProcess router2 = all.get(7);
                admin.call(router1, "POST", "/api/v1/servers/import", HOME.resolve("examples/servers.json"));

                // Both routers hold the whole table, filled by both aggregators from both probes' checks.
                await().atMost(WAIT).until(() -> healthy(router1) == 12 && healthy(router2) == 12);
                assertThat(table(router1)).isEqualTo(table(router2));
                List<String> first = connect(producer, 40);
                await().atMost(WAIT).until(() -> connected(first));

                // Probes split the fleet: each server checked by one probe, both probes at work.
                Map<String, Set<String>> probesByServer =
                        probesSince(Instant.now().minusSeconds(1), Duration.ofSeconds(8));
                assertThat(probesByServer)
                        .hasSize(12)
                        .allSatisfy((server, probes) -> assertThat(probes).hasSize(1));
                assertThat(probesByServer.values().stream().flatMap(Set::stream).distinct())
                        .hasSize(2);
                // The aggregators split the partitions.
                ConsumerGroupDescription aggregators = group(kafka, "wafleet-stats-aggregator");
                assertThat(aggregators.members())
                        .hasSize(2)
                        .allSatisfy(member -> assertThat(member.assignment().topicPartitions())
                                .isNotEmpty());
                // Each account handled by one router; both routers used; sticky selection the same on both.
                assertThat(first)
                        .allSatisfy(account ->
                                assertThat(routersByAccount.get(account)).hasSize(1));
                assertThat(first.stream()
                                .flatMap(a -> routersByAccount.get(a).stream())
                                .distinct())
                        .hasSize(2);
                String server = lastEvent(first.get(0)).getServerId();
                assertThat(select(router1, first.get(0))).isEqualTo(server);
                assertThat(select(router2, first.get(0))).isEqualTo(server);
                // Sinks: every event written once; one CDC leader.
                await().atMost(WAIT).until(() -> rows(postgres, "connection_events") == distinctEvents());
                assertThat(rows(postgres, "server_connections")).isEqualTo(40);
                assertThat(cdcLeaders(all.subList(0, 2))).hasSize(1);

                // One of each stops: the CDC leader among the sinks, and the first of the others.
                ServiceProcess leader = cdcLeaders(all.subList(0, 2)).get(0);
                ServiceProcess survivingSink = leader == all.get(0) ? all.get(1) : all.get(0);
                for (ServiceProcess stopped : List.of(leader, all.get(2), all.get(4))) {
                    stopped.close();
                }
                // The router crashes: its partitions (and any transaction it had open) go to the other.
                router1.kill();
                long killed = System.nanoTime();
                List<String> second = connect(producer, 20);
                await().atMost(WAIT).until(() -> connected(second));
                System.out.printf(
                        "ScaleOutTest: router 1 killed; 20 new accounts connected through router 2 in %.1f s%n",
                        (System.nanoTime() - killed) / 1e9);
                for (String account : first) {
                    assertThat(json.readTree(admin.call(router2, "GET", "/api/v1/accounts/" + account, null))
                                    .path("state")
                                    .asText())
                            .as("the survivor knows every account of the first wave")
                            .isEqualTo("CONNECTED");
                }
                assertThat(second)
                        .allSatisfy(account ->
                                assertThat(routersByAccount.get(account)).containsExactly(handlerOf(second)));
                // The surviving probe checks every server, the surviving aggregator keeps the table fresh.
                await().atMost(WAIT)
                        .until(() -> probesSince(Instant.now(), Duration.ofSeconds(6))
                                        .size()
                                == 12);
                assertThat(probesSince(Instant.now(), Duration.ofSeconds(6)).values().stream()
                                .flatMap(Set::stream)
                                .distinct())
                        .hasSize(1);
                await().atMost(WAIT)
                        .until(() -> group(kafka, "wafleet-stats-aggregator")
                                        .members()
                                        .size()
                                == 1);
                assertThat(healthy(router2)).isEqualTo(12);
                // The other sink took the CDC over: a change made now reaches the router.
                await().atMost(WAIT)
                        .until(() -> cdcLeaders(List.of(survivingSink)).size() == 1);
                String someServer = table(router2).keySet().iterator().next();
                admin.call(router2, "PUT", "/api/v1/servers/" + someServer, serverBody(router2, someServer));
                await().atMost(WAIT).until(() -> weight(router2, someServer) == 3);
                // Nothing lost or written twice.
                await().atMost(WAIT).until(() -> rows(postgres, "connection_events") == distinctEvents());
                assertThat(rows(postgres, "server_connections")).isEqualTo(60);
                assertThat((long) events.size()).isGreaterThanOrEqualTo(distinctEvents());
            } finally {
                collector.close();
            }
        }
    }

    private List<String> connect(KafkaProducer<byte[], byte[]> producer, int count) {
        Topic<String, ConnectionRequest> topic = topics.connectionRequests();
        List<String> accounts = IntStream.range(0, count)
                .mapToObj(i -> "scale-" + UUID.randomUUID().toString().substring(0, 8))
                .toList();
        for (String account : accounts) {
            ConnectionRequest request = ConnectionRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setAccountId(account)
                    .setAction(ConnectionAction.CONNECT)
                    .setEnvironment("production")
                    .build();
            producer.send(new ProducerRecord<>(
                    topic.name(),
                    account.getBytes(StandardCharsets.UTF_8),
                    topic.valueSerde().serializer().serialize(topic.name(), request)));
        }
        producer.flush();
        return accounts;
    }

    private boolean connected(List<String> accounts) {
        return accounts.stream().allMatch(account -> {
            ConnectionEvent last = lastEvent(account);
            return last != null && last.getState() == AccountState.CONNECTED;
        });
    }

    private ConnectionEvent lastEvent(String account) {
        ConnectionEvent last = null;
        for (ConnectionEvent event : events) {
            if (event.getAccountId().equals(account)) {
                last = event;
            }
        }
        return last;
    }

    private long distinctEvents() {
        return events.stream().map(ConnectionEvent::getEventId).distinct().count();
    }

    /** The router instance that wrote the first account's events. */
    private String handlerOf(List<String> accounts) {
        return routersByAccount.get(accounts.get(0)).iterator().next();
    }

    /** Which probes checked each server in the {@code span} from {@code from} (waiting until it is over). */
    private Map<String, Set<String>> probesSince(Instant from, Duration span) {
        Instant until = from.plus(span);
        // The window is complete once checks made after it have been read: the probes check every 2 s.
        await().atMost(span.plus(WAIT))
                .until(() ->
                        checks.stream().anyMatch(check -> check.getCheckedAt().isAfter(until.plusSeconds(1))));
        return checks.stream()
                .filter(check -> !check.getCheckedAt().isBefore(from)
                        && check.getCheckedAt().isBefore(until))
                .collect(Collectors.groupingBy(
                        HealthCheck::getServerId, Collectors.mapping(HealthCheck::getProbeId, Collectors.toSet())));
    }

    private void collect(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(topics.healthChecks().name())) {
            checks.add(topics.healthChecks().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else {
            ConnectionEvent event =
                    topics.connectionEvents().valueSerde().deserializer().deserialize(record.topic(), record.value());
            Header router = record.headers().lastHeader(io.wafleet.router.accounts.Publisher.ROUTER_HEADER);
            routersByAccount
                    .computeIfAbsent(event.getAccountId(), a -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                    .add(router == null ? "?" : new String(router.value(), StandardCharsets.UTF_8));
            events.add(event);
        }
    }

    private int healthy(ServiceProcess router) throws Exception {
        return (int) table(router).values().stream().filter("HEALTHY"::equals).count();
    }

    /** Server id to status, as the router shows it. */
    private Map<String, String> table(ServiceProcess router) throws Exception {
        Map<String, String> table = new java.util.TreeMap<>();
        JsonNode body = json.readTree(admin.call(router, "GET", "/api/v1/servers", null));
        body.path("servers")
                .forEach(s -> table.put(s.path("id").asText(), s.path("status").asText()));
        return table;
    }

    private int weight(ServiceProcess router, String server) throws Exception {
        return json.readTree(admin.call(router, "GET", "/api/v1/servers/" + server, null))
                .path("weight")
                .asInt();
    }

    private String select(ServiceProcess router, String account) throws Exception {
        return json.readTree(admin.call(router, "GET", "/api/v1/servers/select?accountId=" + account, null))
                .path("id")
                .asText();
    }

    /** The server's current settings with weight 3, as the admin API takes them. */
    private Path serverBody(ServiceProcess router, String server) throws Exception {
        JsonNode current = json.readTree(admin.call(router, "GET", "/api/v1/servers/" + server, null));
        Map<String, Object> body = new HashMap<>();
        body.put("name", current.path("name").asText());
        String baseUrl = current.path("baseUrl").asText();
        URI uri = URI.create(baseUrl);
        body.put("hostname", uri.getHost());
        body.put("port", uri.getPort());
        body.put("protocol", uri.getScheme());
        body.put("dialect", current.path("dialect").asText());
        body.put("environment", current.path("environment").asText());
        body.put("location", current.path("location").asText());
        body.put("weight", 3);
        // Its stored API key goes over plain http only to a server so marked (it is on loopback).
        body.put("trustedNetwork", true);
        body.put("healthCheckInterval", 2000);
        body.put(
                "healthCheckEndpoint",
                ServersJsonPaths.of(current.path("dialect").asText()));
        Path file = java.nio.file.Files.createTempFile("server", ".json");
        json.writeValue(file.toFile(), body);
        return file;
    }

    private static List<ServiceProcess> cdcLeaders(List<ServiceProcess> sinks) {
        return sinks.stream()
                .filter(ServiceProcess::isAlive)
                .filter(sink -> health(sink).contains("\"cdc\":\"leading\""))
                .toList();
    }

    private static String health(ServiceProcess service) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(service.url() + "/actuator/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static ConsumerGroupDescription group(EmbeddedKafka kafka, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        }
    }

    private static long rows(EmbeddedPostgres postgres, String table) throws Exception {
        try (Connection connection = postgres.database().dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The health endpoint each dialect answers on, as servers.json gives it. */
    private static final class ServersJsonPaths {
        static String of(String dialect) {
            return switch (dialect) {
                case "waha" -> "/api/server/status";
                case "evolution" -> "/";
                default -> "/api/health";
            };
        }
    }
}
