package io.wafleet.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.service.ProcessExit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregator's Streams runner against the real broker, with a topology that fails on every record. */
@WafleetIntegrationTest
class AggregatorStreamsTest {

    private final List<Integer> exits = new CopyOnWriteArrayList<>();

    @AfterEach
    void restoreExit() {
        ProcessExit.replaceWith(status -> new Thread(() -> System.exit(status)).start());
    }

    @Test
    void aFailureThatComesBackOnEveryNewThreadShutsStreamsDownAndExitsTheProcessWith1(
            KafkaCluster kafka, @TempDir Path state) throws Exception {
        ProcessExit.replaceWith(exits::add);
        String topic = "poison-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        AtomicInteger attempts = new AtomicInteger();
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream(topic).foreach((key, value) -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("a bug that fails on this record every time");
        });
        Properties settings = new Properties();
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "streams-" + UUID.randomUUID());
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        settings.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        settings.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        settings.put("consumer.auto.offset.reset", "earliest");
        // A replaced thread rejoins once the failed one's session has expired: the broker's shortest, 6 s.
        settings.put("consumer.session.timeout.ms", "6000");
        AggregatorStreams streams = new AggregatorStreams(builder.build(), settings);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "poison")).get();
        }

        streams.start();

        await().atMost(Duration.ofSeconds(120)).dontCatchUncaughtExceptions().until(() -> !exits.isEmpty());
        assertThat(exits).containsExactly(1);
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.ERROR);
        assertThat(attempts.get()).isEqualTo(AggregatorStreams.REPLACEMENTS + 1);
        streams.stop();
    }
}
