package io.wafleet.bench.router;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.MessageEvent;
import io.wafleet.avro.MessageStatus;
import io.wafleet.avro.OutboundMessage;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import io.wafleet.bench.Percentiles;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.router.RouterApplication;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.service.TopicListener;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Outbound messages end to end, on one machine: {@code --servers} simulated WAHA Plus servers and {@code --accounts}
 * connected accounts behind one router on an embedded broker. Throughput: {@code --messages} posted at once to
 * wa.outbound-messages, each timed from its record to its SENT event on wa.message-events, beside the servers' own
 * time for the send calls (the baseline: what the router adds is the difference). Pacing: a backlog for the accounts
 * of a server whose {@code messagingRateLimit} is {@code --server-limit} a minute, and for one account limited to
 * {@code --account-limit} a minute, the sends the servers took counted over a minute after a warm-up.
 */
@Command(name = "message-throughput", mixinStandardHelpOptions = true)
public final class MessageThroughput implements Callable<Integer> {

    @Option(names = "--servers", defaultValue = "20")
    int servers;

    @Option(names = "--accounts", defaultValue = "1000")
    int accounts;

    @Option(names = "--messages", defaultValue = "20000")
    int messages;

    @Option(names = "--steady-rate", defaultValue = "100", description = "messages per second offered after the burst")
    int steadyRate;

    @Option(names = "--steady-seconds", defaultValue = "30")
    int steadySeconds;

    @Option(names = "--server-limit", defaultValue = "600", description = "messagingRateLimit of the paced server")
    int serverLimit;

    @Option(names = "--account-limit", defaultValue = "120", description = "the paced account's own limit")
    int accountLimit;

    @Option(names = "--paced-accounts", defaultValue = "50")
    int pacedAccounts;

    @Option(names = "--measure-seconds", defaultValue = "60")
    int measureSeconds;

    private final Topics topics = Topics.defaults();
    private final Map<String, AccountState> states = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> sentLatencies = new ConcurrentLinkedQueue<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final ConcurrentLinkedQueue<Long> serverTimes = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new MessageThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                        Files.createTempDirectory("wafleet-messages").resolve("kafka"));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                5),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<ServerSpec> specs = new ArrayList<>();
            IntStream.range(0, servers).forEach(i -> specs.add(spec("waha-" + i)));
            specs.add(spec("paced-server"));
            specs.add(spec("paced-account"));
            try (SimulatedFleet fleet = SimulatedFleet.start(specs)) {
                try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                        org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers()))) {
                    io.wafleet.service.TopicProvisioner.ensure(admin, io.wafleet.schemas.TopicsConfig.defaults());
                }
                for (SimulatedServer server : fleet.servers()) {
                    String pool = server.id().startsWith("paced") ? server.id() : "production";
                    int limit = server.id().equals("paced-server") ? serverLimit : 1_000_000;
                    publish(producer, server, pool, limit);
                    server.onServed(call -> {
                        if (call.path().equals("/api/sendText")) {
                            serverTimes.add(call.nanos());
                        }
                    });
                }
                producer.flush();
                AtomicBoolean reading = new AtomicBoolean(true);
                Thread reader = new Thread(() -> read(kafka.bootstrapServers(), reading), "events");
                reader.start();
                try (ConfigurableApplicationContext router = new SpringApplicationBuilder(RouterApplication.class)
                        .run(
                                "--server.port=0",
                                "--management.server.port=0",
                                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                                "--management.endpoint.health.group.readiness.include=readinessState,fleet,accounts",
                                "--wafleet.router.api-key-encryption-key="
                                        + Base64.getEncoder().encodeToString(new byte[32]),
                                "--wafleet.router.accounts.max-in-flight=" + (accounts + 200),
                                "--wafleet.router.messages.per-account-per-minute=60000",
                                "--wafleet.router.messages.account-limits.paced-account-0=" + accountLimit,
                                "--logging.level.root=WARN")) {
                    ConnectThroughput.awaitReady(router);
                    System.out.printf(
                            "%d simulated WAHA Plus servers (send p50 5 ms, p99 10 ms), %d connected accounts, one"
                                    + " router, embedded broker; 2-core machine%n",
                            servers, accounts);
                    List<String> fleetAccounts = connect(producer, "account-", accounts, "production");
                    List<String> paced = connect(producer, "paced-", pacedAccounts, "paced-server");
                    connect(producer, "paced-account-", 1, "paced-account");
                    throughput(producer, fleetAccounts);
                    steady(producer, fleetAccounts);
                    pacing(producer, fleet, paced);
                }
                reading.set(false);
                reader.join();
            }
        }
        return 0;
    }

    private static ServerSpec spec(String id) {
        return ServerSpec.builder(id, Dialect.WAHA)
                .tier("PLUS")
                .capacity(2_000, 1)
                .latency(5, 10)
                .scanDelay(Duration.ofMillis(500))
                .build();
    }

    /** Posts {@code messages} at once over the accounts; each timed from its record to its SENT event. */
    private void throughput(KafkaProducer<byte[], byte[]> producer, List<String> accounts) throws Exception {
        sentLatencies.clear();
        serverTimes.clear();
        sent.reset();
        long started = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            post(producer, accounts.get(i % accounts.size()), "t-" + i, null);
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (sent.sum() < messages && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] latencies =
                sentLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] server = serverTimes.stream()
                .mapToLong(nanos -> TimeUnit.NANOSECONDS.toMicros(nanos))
                .sorted()
                .toArray();
        System.out.printf(
                "throughput: %d messages over %d accounts SENT in %.1f s = %.0f messages/s (%d failed);"
                        + " record to SENT p50 %d ms, p99 %d ms, max %d ms; the servers' own send time p50 %.1f ms,"
                        + " p99 %.1f ms%n",
                sent.sum(),
                accounts.size(),
                seconds,
                sent.sum() / seconds,
                failed.sum(),
                Percentiles.of(latencies, 50),
                Percentiles.of(latencies, 99),
                Percentiles.of(latencies, 100),
                Percentiles.of(server, 50) / 1000.0,
                Percentiles.of(server, 99) / 1000.0);
    }

    /** {@code --steady-rate} messages a second for {@code --steady-seconds}: record to SENT beside the servers' time. */
    private void steady(KafkaProducer<byte[], byte[]> producer, List<String> accounts) throws Exception {
        sentLatencies.clear();
        serverTimes.clear();
        sent.reset();
        int total = steadyRate * steadySeconds;
        long started = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = started + TimeUnit.SECONDS.toNanos(1) * i / steadyRate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            post(producer, accounts.get((i * 7) % accounts.size()), "s-" + i, null);
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (sent.sum() < total && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        long[] latencies =
                sentLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] server = serverTimes.stream()
                .mapToLong(nanos -> TimeUnit.NANOSECONDS.toMicros(nanos))
                .sorted()
                .toArray();
        long p99 = Percentiles.of(latencies, 99);
        double serverP99 = Percentiles.of(server, 99) / 1000.0;
        System.out.printf(
                "steady: %d messages/s offered for %d s, %d SENT; record to SENT p50 %d ms, p95 %d ms, p99 %d ms,"
                        + " max %d ms; the servers' own send time p50 %.1f ms, p99 %.1f ms; p99 record to SENT ="
                        + " %.1f x the servers' p99%n",
                steadyRate,
                steadySeconds,
                sent.sum(),
                Percentiles.of(latencies, 50),
                Percentiles.of(latencies, 95),
                p99,
                Percentiles.of(latencies, 100),
                Percentiles.of(server, 50) / 1000.0,
                serverP99,
                p99 / serverP99);
    }

    /** A backlog on the paced server and for the paced account; their sends counted over a minute after 15 s. */
    private void pacing(KafkaProducer<byte[], byte[]> producer, SimulatedFleet fleet, List<String> paced)
            throws Exception {
        int serverBacklog = serverLimit * 3;
        for (int i = 0; i < serverBacklog; i++) {
            post(producer, paced.get(i % paced.size()), "p-" + i, Instant.now().plusSeconds(3600));
        }
        for (int i = 0; i < accountLimit * 3; i++) {
            post(producer, "paced-account-0", "a-" + i, Instant.now().plusSeconds(3600));
        }
        producer.flush();
        TimeUnit.SECONDS.sleep(15);
        long serverBefore = sentCount(fleet.server("paced-server"));
        long accountBefore = sentCount(fleet.server("paced-account"));
        long started = System.nanoTime();
        TimeUnit.SECONDS.sleep(measureSeconds);
        double minutes = (System.nanoTime() - started) / 60e9;
        double serverRate = (sentCount(fleet.server("paced-server")) - serverBefore) / minutes;
        double accountRate = (sentCount(fleet.server("paced-account")) - accountBefore) / minutes;
        System.out.printf(
                "pacing over %d s with a backlog: server limit %d/min over %d accounts -> %.1f/min sent (%+.1f %%);"
                        + " account limit %d/min -> %.1f/min sent (%+.1f %%)%n",
                measureSeconds,
                serverLimit,
                paced.size(),
                serverRate,
                100 * (serverRate / serverLimit - 1),
                accountLimit,
                accountRate,
                100 * (accountRate / accountLimit - 1));
    }

    private static long sentCount(SimulatedServer server) {
        return ((Number) server.messageCounts().get("sent")).longValue();
    }

    /** Connects {@code count} accounts in the pool and waits until all are CONNECTED (their QR scans itself). */
    private List<String> connect(KafkaProducer<byte[], byte[]> producer, String prefix, int count, String pool)
            throws Exception {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        for (String account : ids) {
            io.wafleet.avro.ConnectionRequest request = io.wafleet.avro.ConnectionRequest.newBuilder()
                    .setRequestId(UUID.randomUUID().toString())
                    .setAccountId(account)
                    .setAction(io.wafleet.avro.ConnectionAction.CONNECT)
                    .setEnvironment(pool)
                    .build();
            send(producer, topics.connectionRequests(), account, request);
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!ids.stream().allMatch(id -> states.get(id) == AccountState.CONNECTED) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        long connected = ids.stream()
                .filter(id -> states.get(id) == AccountState.CONNECTED)
                .count();
        if (connected < count) {
            throw new IllegalStateException(connected + " of " + count + " accounts of " + pool + " connected");
        }
        return ids;
    }

    private void post(KafkaProducer<byte[], byte[]> producer, String account, String id, Instant expiresAt) {
        send(
                producer,
                topics.outboundMessages(),
                account,
                OutboundMessage.newBuilder()
                        .setMessageId(id)
                        .setAccountId(account)
                        .setRecipient("491701234567")
                        .setText("benchmark message " + id)
                        .setExpiresAt(expiresAt)
                        .build());
    }

    private void publish(KafkaProducer<byte[], byte[]> producer, SimulatedServer server, String pool, int limit) {
        ServerConfig config = server.config()
                .setEnvironment(pool)
                .setMessagingRateLimit(limit)
                .build();
        send(producer, topics.serverConfigs(), server.id(), config);
        Instant now = Instant.now();
        send(
                producer,
                topics.serverHealth(),
                server.id(),
                ServerHealth.newBuilder()
                        .setServerId(server.id())
                        .setName(server.id())
                        .setStatus(HealthStatus.HEALTHY)
                        .setStatusSince(now)
                        .setUpdatedAt(now)
                        .setLastCheckAt(now)
                        .setBaseUrl(server.baseUrl())
                        .setEnvironment(pool)
                        .setCapacity(server.spec().capacity())
                        .build());
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(
                topic.name(),
                key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    /** Reads the account and message events from their end while {@code reading}. */
    private void read(String bootstrap, AtomicBoolean reading) {
        Set<String> names =
                Set.of(topics.connectionEvents().name(), topics.messageEvents().name());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        5,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            names.forEach(name -> partitions.addAll(TopicListener.partitionsOf(consumer, name)));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    if (record.topic().equals(topics.connectionEvents().name())) {
                        var event = topics.connectionEvents()
                                .valueSerde()
                                .deserializer()
                                .deserialize(record.topic(), record.value());
                        states.put(event.getAccountId(), event.getState());
                    } else {
                        MessageEvent event = topics.messageEvents()
                                .valueSerde()
                                .deserializer()
                                .deserialize(record.topic(), record.value());
                        if (event.getStatus() == MessageStatus.SENT) {
                            sent.increment();
                            sentLatencies.add(Duration.between(event.getPostedAt(), event.getOccurredAt())
                                    .toMillis());
                        } else if (event.getStatus() == MessageStatus.FAILED) {
                            failed.increment();
                        }
                    }
                }
            }
        }
    }
}
