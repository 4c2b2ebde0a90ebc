package io.wafleet.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.schemas.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's own Streams settings send a record that makes a processor throw to the dead letters and go on. No
 * record known to us makes the real topology throw, so a topology whose processor fails on purpose stands in for one.
 */
class ProcessingDeadLettersTest {

    @Test
    void aRecordThatMakesAProcessorThrowIsDeadLetteredWithItsReasonAndTheStreamGoesOn() {
        LongAdder count = new LongAdder();
        var settings = StreamsSettings.of(
                Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
                "wa.dead-letters",
                count,
                new AggregatorProperties("processing-test", null, 1, null, null, null, null));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(
                        value -> {
                            if (value.startsWith("poison")) {
                                throw new IllegalStateException("cannot handle " + value);
                            }
                            return value.toUpperCase();
                        },
                        Named.as("upper"))
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), settings)) {
            TestInputTopic<String, String> in =
                    driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out =
                    driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
            TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic(
                    "wa.dead-letters",
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());

            in.pipeInput("a", "first");
            in.pipeInput("b", "poison pill");
            in.pipeInput("c", "after");

            assertThat(out.readValuesToList()).as("the stream went on").containsExactly("FIRST", "AFTER");
            List<TestRecord<byte[], byte[]>> letters = dead.readRecordsToList();
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(new String(letter.value(), StandardCharsets.UTF_8))
                        .as("the source bytes, untouched")
                        .isEqualTo("poison pill");
                assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("b");
                Headers headers = letter.headers();
                assertThat(header(headers, DeadLetters.TOPIC_HEADER)).isEqualTo("in");
                assertThat(header(headers, DeadLetters.OFFSET_HEADER)).isEqualTo("1");
                assertThat(header(headers, DeadLetters.CONSUMER_HEADER)).isEqualTo("processing-test");
                assertThat(header(headers, DeadLetters.ERROR_HEADER))
                        .isEqualTo("processor upper failed: IllegalStateException: cannot handle poison pill");
            });
            assertThat(count.sum()).as("counted for the metrics").isEqualTo(1);
        }
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
