package io.wafleet.router.accounts;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import io.wafleet.platform.junit.TopicCollector;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.router.RouterApplication;
import io.wafleet.schemas.ApiKeyCipher;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.TopicSpec;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.simulator.SimulatedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One test's world for the account lifecycle: its own topics, servers made known to the router (a config on
 * wa.server-configs and a HEALTHY row on wa.server-health, as the CDC and the aggregator would write them), routers
 * started as real applications, and every connection event, PASSIVE check and dead letter collected.
 */
final class RouterFixture implements AutoCloseable {

    static final String ADMIN_TOKEN = "test-admin-token";
    static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    /** A connection event and the router instance that wrote it. */
    record Event(ConnectionEvent event, String router) {}

    final KafkaCluster kafka;
    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    final TopicsConfig config;
    final Topics topics;
    final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<HealthCheck> checks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> deadLetters = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> notices = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<io.wafleet.avro.MessageEvent> messageEvents = new ConcurrentLinkedQueue<>();
    private final List<ConfigurableApplicationContext> routers = new ArrayList<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicCollector collector;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ApiKeyCipher cipher = ApiKeyCipher.fromBase64Key(ENCRYPTION_KEY);

    RouterFixture(KafkaCluster kafka) {
        this.kafka = kafka;
        Duration day = Duration.ofDays(1);
        this.config = new TopicsConfig(
                TopicSpec.compacted(prefix + ".server-configs", 3, (short) 1),
                TopicSpec.compacted(prefix + ".lb-rules", 1, (short) 1),
                TopicSpec.deleteAfter(prefix + ".health-checks", 3, (short) 1, day),
                null,
                TopicSpec.deleteAfter(prefix + ".server-metrics", 1, (short) 1, day),
                TopicSpec.compacted(prefix + ".server-health", 3, (short) 1),
                null,
                TopicSpec.deleteAfter(prefix + ".connection-requests", 6, (short) 1, day),
                TopicSpec.deleteAfter(prefix + ".connection-events", 6, (short) 1, day),
                TopicSpec.deleteAfter(prefix + ".dead-letters", 1, (short) 1, day),
                TopicSpec.compacted(prefix + ".account-state", 6, (short) 1),
                TopicSpec.compacted(prefix + ".router-members", 1, (short) 1),
                TopicSpec.deleteAfter(prefix + ".server-notices", 6, (short) 1, day),
                TopicSpec.deleteAfter(prefix + ".outbound-messages", 6, (short) 1, day),
                TopicSpec.deleteAfter(prefix + ".message-events", 6, (short) 1, day),
                TopicSpec.compacted(prefix + ".message-progress", 6, (short) 1));
        this.topics = new Topics(config);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, config);
        }
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        collector = TopicCollector.start(
                kafka.bootstrapServers(),
                prefix + "-collector",
                List.of(
                        topics.connectionEvents().name(),
                        topics.healthChecks().name(),
                        topics.deadLetters().name(),
                        topics.serverNotices().name(),
                        topics.messageEvents().name()),
                this::collect);
    }

    /** Starts a router on these topics, with short waits so that tests run quickly; {@code extra} settings win. */
    ConfigurableApplicationContext startRouter(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--wafleet.router.admin-token=" + ADMIN_TOKEN,
                "--wafleet.router.api-key-encryption-key=" + ENCRYPTION_KEY,
                "--wafleet.router.table-refresh=20ms",
                "--wafleet.router.accounts.group=" + prefix + "-routers",
                "--wafleet.router.accounts.status-poll-interval=100ms",
                "--wafleet.router.accounts.retry-backoff=20ms",
                "--wafleet.router.accounts.retry-backoff-max=100ms"));
        config.asProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        for (String property : extra) {
            String key = "--" + property.substring(0, property.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(key));
            args.add("--" + property);
        }
        ConfigurableApplicationContext router =
                new SpringApplicationBuilder(RouterApplication.class).run(args.toArray(String[]::new));
        routers.add(router);
        return router;
    }

    /** Makes a simulated server known: its config and a HEALTHY health row in {@code environment}. */
    void addServer(SimulatedServer server, String environment, int priority) {
        ServerConfig config = server.config()
                .setEnvironment(environment)
                .setLocation(null)
                .setConnectionTimeout(2000)
                .setRequestTimeout(5000)
                .setPriority(priority)
                .build();
        if (server.spec().apiKey() != null) {
            config.setApiKeyCiphertext(cipher.encrypt(server.spec().apiKey(), ApiKeyCipher.Binding.of(config)));
        }
        send(topics.serverConfigs(), server.id(), config);
        health(server, environment, priority, HealthStatus.HEALTHY);
    }

    void health(SimulatedServer server, String environment, int priority, HealthStatus status) {
        Instant now = Instant.now();
        send(
                topics.serverHealth(),
                server.id(),
                ServerHealth.newBuilder()
                        .setServerId(server.id())
                        .setName(server.id())
                        .setStatus(status)
                        .setStatusSince(now)
                        .setUpdatedAt(now)
                        .setLastCheckAt(now)
                        .setBaseUrl(server.baseUrl())
                        .setEnvironment(environment)
                        .setPriority(priority)
                        // As the aggregator publishes it (HealthTableTopologyTest): WAHA Core hosts one account.
                        .setCapacity(
                                server.spec().wahaCore() ? 1 : server.spec().capacity())
                        .setTier(server.spec().tier())
                        .setVersion(server.spec().version())
                        .setDialect(server.dialect())
                        .setConnectedAccounts(0)
                        .build());
    }

    static ConnectionRequest.Builder request(String accountId, ConnectionAction action) {
        return ConnectionRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setAccountId(accountId)
                .setAction(action);
    }

    /** Posts a request as an Avro producer would. */
    ConnectionRequest post(ConnectionRequest request) {
        send(topics.connectionRequests(), request.getAccountId(), request);
        return request;
    }

    /** Posts raw bytes to the requests topic, as any producer could. */
    void postRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(
                            topics.connectionRequests().name(),
                            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                            value))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a text record to any topic, as a foreign producer (Evolution's own Kafka events) would. */
    void sendRaw(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(
                            topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The states of an account's events, in order. */
    List<AccountState> states(String accountId) {
        return eventsOf(accountId).stream().map(ConnectionEvent::getState).toList();
    }

    List<ConnectionEvent> eventsOf(String accountId) {
        return events.stream()
                .map(Event::event)
                .filter(event -> event.getAccountId().equals(accountId))
                .toList();
    }

    /** The steps of a message, in order. */
    List<io.wafleet.avro.MessageStatus> steps(String accountId, String messageId) {
        return messageEventsOf(accountId, messageId).stream()
                .map(io.wafleet.avro.MessageEvent::getStatus)
                .toList();
    }

    List<io.wafleet.avro.MessageEvent> messageEventsOf(String accountId, String messageId) {
        return messageEvents.stream()
                .filter(event -> event.getAccountId().equals(accountId)
                        && event.getMessageId().equals(messageId))
                .toList();
    }

    /** The offset the next record with this key gets on its partition (the producer's default partitioner). */
    long endOffset(String topic, String key) {
        int partitions = config.connectionRequests().partitions();
        org.apache.kafka.common.TopicPartition partition =
                new org.apache.kafka.common.TopicPartition(topic, RequestPartitions.of(key, partitions));
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                Map.<String, Object>of(
                        org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** The account's last event, or null. */
    ConnectionEvent last(String accountId) {
        List<ConnectionEvent> of = eventsOf(accountId);
        return of.isEmpty() ? null : of.get(of.size() - 1);
    }

    HttpResponse<String> call(ConfigurableApplicationContext router, String method, String path, String body) {
        return call(router, "local.server.port", ADMIN_TOKEN, method, path, body);
    }

    /** A call with {@code token} (null: none). */
    HttpResponse<String> callAs(
            ConfigurableApplicationContext router, String token, String method, String path, String body) {
        return call(router, "local.server.port", token, method, path, body);
    }

    /** A GET on the router's management port (actuator). */
    HttpResponse<String> management(ConfigurableApplicationContext router, String path) {
        return call(router, "local.management.port", null, "GET", path, null);
    }

    private HttpResponse<String> call(
            ConfigurableApplicationContext router,
            String portProperty,
            String token,
            String method,
            String path,
            String body) {
        String port = router.getEnvironment().getProperty(portProperty);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    <V> void send(Topic<String, V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(
                            topic.name(),
                            key.getBytes(StandardCharsets.UTF_8),
                            topic.valueSerde().serializer().serialize(topic.name(), value)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void collect(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(topics.connectionEvents().name())) {
            Header router = record.headers().lastHeader(Publisher.ROUTER_HEADER);
            events.add(new Event(
                    topics.connectionEvents().valueSerde().deserializer().deserialize(record.topic(), record.value()),
                    router == null ? null : new String(router.value(), StandardCharsets.UTF_8)));
        } else if (record.topic().equals(topics.healthChecks().name())) {
            checks.add(topics.healthChecks().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else if (record.topic().equals(topics.serverNotices().name())) {
            notices.add(record);
        } else if (record.topic().equals(topics.messageEvents().name())) {
            messageEvents.add(
                    topics.messageEvents().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else {
            deadLetters.add(record);
        }
    }

    @Override
    public void close() {
        for (ConfigurableApplicationContext router : routers) {
            router.close();
        }
        collector.close();
        producer.close();
    }
}
