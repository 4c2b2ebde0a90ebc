package io.wafleet.bench.router;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.bench.BulkProducer;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.accounts.AccountStates;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How long a router takes to restore its account registry from wa.account-state at start, and how much heap an
 * account takes in it: {@code --accounts} accounts, one state record each (CONNECTED, or QR_REQUIRED with a QR data
 * URL of {@code --qr-bytes} for the {@code --qr-share} of them), read by the router's own {@link AccountStates} into
 * an {@link AccountRegistry}: for each of {@code --routers}, one router's share of the partitions.
 */
@Command(name = "registry-load", mixinStandardHelpOptions = true)
public final class RegistryLoad implements Callable<Integer> {

    @Option(names = "--accounts", defaultValue = "1000000")
    int accounts;

    @Option(names = "--qr-bytes", defaultValue = "2000")
    int qrBytes;

    @Option(names = "--qr-share", defaultValue = "0", description = "the share of accounts waiting for a QR scan")
    double qrShare;

    @Option(
            names = "--routers",
            defaultValue = "1",
            split = ",",
            description = "router counts: each loads one router's share of the partitions (all for 1)")
    List<Integer> routers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RegistryLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Topics topics = Topics.defaults();
        Topic<String, AccountStateRecord> topic = topics.accountState();
        Path data = Files.createTempDirectory("wafleet-registry-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            BulkProducer.settle(
                    kafka.bootstrapServers(),
                    topic.name(),
                    TopicsConfig.defaults().accountState().partitions());
            String qr = "data:image/png;base64," + "A".repeat(Math.max(0, qrBytes - 22));
            String[] servers = new String[100];
            for (int i = 0; i < servers.length; i++) {
                servers[i] = UUID.randomUUID().toString();
            }
            long produced = 0;
            java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                    BulkProducer.config(kafka.bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                Instant at = Instant.now();
                for (int i = 0; i < accounts; i++) {
                    String account = "account-" + i;
                    String requestId = UUID.randomUUID().toString();
                    boolean waiting = i < accounts * qrShare;
                    AccountStateRecord state = AccountStateRecord.newBuilder()
                            .setAccountId(account)
                            .setAccountName("Account " + i)
                            .setServerId(servers[i % servers.length])
                            .setState(waiting ? AccountState.QR_REQUIRED : AccountState.CONNECTED)
                            .setConnectionId("conn_" + i)
                            .setQrCode(waiting ? qr : null)
                            .setRequestId(requestId)
                            .setAttempt(1)
                            .setUpdatedAt(at)
                            .setAnsweredRequests(List.of(requestId))
                            .setLastEventId(UUID.randomUUID().toString())
                            .build();
                    producer.send(
                            new ProducerRecord<>(
                                    topic.name(),
                                    account.getBytes(StandardCharsets.UTF_8),
                                    topic.valueSerde().serializer().serialize(topic.name(), state)),
                            (metadata, error) -> {
                                if (error != null) {
                                    failed.incrementAndGet();
                                }
                            });
                    produced++;
                }
            }
            System.out.printf(
                    "%,d accounts, %,d state records sent, %,d failed (QR %,d bytes)%n",
                    accounts, produced, failed.get(), qrBytes);
            int partitions = TopicsConfig.defaults().accountState().partitions();
            for (int routers : this.routers) {
                // One router's share of the partitions when there are this many (all of them for one).
                List<Integer> share = IntStream.range(0, partitions)
                        .filter(partition -> partition % routers == 0)
                        .boxed()
                        .toList();
                load(kafka, topic, routers, share, produced);
            }
        }
        return 0;
    }

    private static void load(
            EmbeddedKafka kafka,
            Topic<String, AccountStateRecord> topic,
            int routers,
            List<Integer> share,
            long produced)
            throws InterruptedException {
        long heapBefore = usedHeap();
        AccountRegistry registry = new AccountRegistry();
        AccountStates reader = new AccountStates(
                new DefaultKafkaConsumerFactory<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new ByteArrayDeserializer()),
                topic,
                registry,
                AccountSettings.Hold.OWNED_PARTITIONS);
        long started = System.nanoTime();
        reader.start();
        reader.hold(share);
        while (!reader.isCaughtUp()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long heapAfter = usedHeap();
        reader.stop();
        System.out.printf(
                "%d router(s), %d partitions each: %,d of %,d accounts loaded in %.1f s (%,.0f records/s); heap %,d MB"
                        + " -> %,d MB: %,d MB for this router, %,d bytes per account%n",
                routers,
                share.size(),
                registry.size(),
                produced,
                seconds,
                registry.size() / seconds,
                heapBefore >> 20,
                heapAfter >> 20,
                (heapAfter - heapBefore) >> 20,
                (heapAfter - heapBefore) / Math.max(1, registry.size()));
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
