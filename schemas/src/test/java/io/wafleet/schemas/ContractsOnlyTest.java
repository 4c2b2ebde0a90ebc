package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * What an analytics consumer's project gets with {@code wafleet-schemas}: the records, their serdes and the topic
 * descriptors, on Avro, kafka-clients and Jackson alone. This module's own classpath is such a project's (plus the
 * test libraries): no Spring, no Micrometer, no wafleet service code; and every topic's values are read there with
 * the deserializer a plain {@code KafkaConsumer} would be given.
 */
class ContractsOnlyTest {

    @Test
    void theClasspathHoldsNoSpringNoMicrometerAndNoServiceCode() {
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(path -> new File(path).getName())
                .toList();

        assertThat(jars).noneMatch(jar -> jar.startsWith("spring-") || jar.startsWith("micrometer-"));
        assertThat(jars).noneMatch(jar -> jar.startsWith("wafleet-") && !jar.startsWith("wafleet-schemas"));
        assertThatThrownBy(() -> Class.forName("org.springframework.core.env.Environment"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.wafleet.service.TopicListener"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void everyTopicsValuesAreReadWithTheDeserializerAKafkaConsumerIsGiven() {
        Topics topics = Topics.defaults();
        Map<Topic<String, ? extends SpecificRecord>, SpecificRecord> samples = Map.ofEntries(
                Map.entry(topics.serverConfigs(), SampleRecords.serverConfig()),
                Map.entry(topics.lbRules(), SampleRecords.lbRule()),
                Map.entry(topics.healthChecks(), SampleRecords.healthCheck()),
                Map.entry(topics.serverStats(), SampleRecords.serverStats()),
                Map.entry(topics.serverMetrics(), SampleRecords.serverMetrics()),
                Map.entry(topics.serverHealth(), SampleRecords.serverHealth()),
                Map.entry(topics.serverEvents(), SampleRecords.serverEvent()),
                Map.entry(topics.connectionRequests(), SampleRecords.connectionRequest()),
                Map.entry(topics.connectionEvents(), SampleRecords.connectionEvent()),
                Map.entry(topics.accountState(), SampleRecords.accountState()),
                Map.entry(topics.routerMembers(), SampleRecords.routerMember()),
                Map.entry(topics.serverNotices(), SampleRecords.serverNotice()),
                Map.entry(topics.outboundMessages(), SampleRecords.outboundMessage()),
                Map.entry(topics.messageEvents(), SampleRecords.messageEvent()),
                Map.entry(topics.messageProgress(), SampleRecords.messageProgress()));

        // Every record topic of the table is covered (the dead letters are raw bytes by design).
        assertThat(samples.keySet().stream().map(Topic::name))
                .containsExactlyInAnyOrderElementsOf(topics.config().all().stream()
                        .map(TopicSpec::name)
                        .filter(name -> !name.equals(topics.deadLetters().name()))
                        .toList());
        samples.forEach((topic, sample) -> {
            byte[] bytes = encode(topic, sample);
            Deserializer<? extends SpecificRecord> values = topic.valueSerde().deserializer();
            Deserializer<String> keys = topic.keySerde().deserializer();

            assertThat(keys.deserialize(
                            topic.name(), topic.keySerde().serializer().serialize(topic.name(), "k")))
                    .isEqualTo("k");
            assertThat(values.deserialize(topic.name(), bytes)).as(topic.name()).isEqualTo(sample);
        });
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(Topic<String, T> topic, SpecificRecord sample) {
        return topic.valueSerde().serializer().serialize(topic.name(), (T) sample);
    }
}
