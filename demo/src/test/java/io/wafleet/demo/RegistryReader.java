package io.wafleet.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What an analytics consumer that knows only the registry and the Confluent wire format sees: a plain Kafka consumer,
 * each value's writer schema fetched by its id from the registry's REST API, decoded into generic Avro records. No
 * wafleet class is used; a value that is not in the wire format, or whose id the registry does not know, fails.
 */
final class RegistryReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final String registryUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, Schema> schemas = new HashMap<>();

    RegistryReader(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    /** Every record of each topic, from its beginning to its end as it is now, decoded. */
    Map<String, List<GenericRecord>> readAll(List<String> topics) throws Exception {
        Map<String, List<GenericRecord>> read = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                read.put(topic, new ArrayList<>());
                consumer.partitionsFor(topic)
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        read.get(record.topic()).add(decode(record.topic(), record.value()));
                    }
                }
            }
        }
        return read;
    }

    private GenericRecord decode(String topic, byte[] value) throws Exception {
        if (value.length < 5 || value[0] != 0) {
            throw new IllegalStateException("a value on " + topic + " is not in the Confluent wire format");
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        Schema writer = schemas.containsKey(id) ? schemas.get(id) : fetch(id);
        return new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
    }

    private Schema fetch(int id) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the registry does not know schema id " + id + ": " + answer.body());
        }
        Schema schema = new Schema.Parser()
                .parse(JSON.readTree(answer.body()).path("schema").asText());
        schemas.put(id, schema);
        return schema;
    }
}
