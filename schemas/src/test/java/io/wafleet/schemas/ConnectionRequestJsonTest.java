package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.LbAlgorithm;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** wa.connection-requests takes plain JSON from producers without Avro, and says exactly what is wrong with it. */
class ConnectionRequestJsonTest {

    private static final String TOPIC = "wa.connection-requests";

    private final Serde<ConnectionRequest> serde =
            Topics.defaults().connectionRequests().valueSerde();

    @Test
    void theMinimalJsonRequestTakesDefaultsForTheRest() {
        ConnectionRequest request = read("""
                {"requestId": "r-1", "accountId": "business-account-01", "action": "connect"}""");

        assertThat(request.getRequestId()).isEqualTo("r-1");
        assertThat(request.getAccountId()).isEqualTo("business-account-01");
        assertThat(request.getAction()).isEqualTo(ConnectionAction.CONNECT);
        assertThat(request.getTags()).isEmpty();
        assertThat(request.getMetadata()).isEmpty();
        assertThat(request.getEnvironment()).isNull();
        assertThat(request.getRequestedAt()).isNull();
    }

    @Test
    void theFullJsonRequestEqualsTheSameAvroRecord() {
        ConnectionRequest request = read("""
                {"requestId": "6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a06", "accountId": "business-account-01",
                 "action": "CONNECT", "accountName": "Business Account 01", "serverId": null,
                 "environment": "production", "location": "US-East", "tags": ["primary"], "minCapacity": 50,
                 "algorithm": "least_connections", "requestedAt": "2024-01-15T10:30:00Z", "requestedBy": "crm",
                 "metadata": {"campaign": "spring"}, "someFutureField": 1}""");

        assertThat(request).isEqualTo(SampleRecords.connectionRequest());
    }

    @Test
    void timestampsMayBeEpochMillis() {
        ConnectionRequest request = read("""
                {"requestId": "r", "accountId": "a", "action": "MIGRATE", "serverId": "srv-2", "requestedAt": 1705314600000}""");

        assertThat(request.getRequestedAt()).isEqualTo(Instant.parse("2024-01-15T10:30:00Z"));
        assertThat(request.getAction()).isEqualTo(ConnectionAction.MIGRATE);
    }

    @Test
    void enumsAcceptTheSeedsLowerCaseSpelling() {
        ConnectionRequest request = read("""
                {"requestId": "r", "accountId": "a", "action": "refresh-qr", "algorithm": "weighted_round_robin"}""");

        assertThat(request.getAction()).isEqualTo(ConnectionAction.REFRESH_QR);
        assertThat(request.getAlgorithm()).isEqualTo(LbAlgorithm.WEIGHTED_ROUND_ROBIN);
    }

    @Test
    void avroValuesStillDecodeOnTheJsonTopic() {
        byte[] avro = serde.serializer().serialize(TOPIC, SampleRecords.connectionRequest());

        assertThat(serde.deserializer().deserialize(TOPIC, avro)).isEqualTo(SampleRecords.connectionRequest());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing accountId     | {"requestId": "r", "action": "CONNECT"}                                | field 'accountId' is missing and has no default
            accountId a number    | {"requestId": "r", "accountId": 7, "action": "CONNECT"}                | field 'accountId' must be a string, was number 7
            accountId null        | {"requestId": "r", "accountId": null, "action": "CONNECT"}             | field 'accountId' must be a string, was null null
            unknown action        | {"requestId": "r", "accountId": "a", "action": "DANCE"}                | field 'action' is 'DANCE', not one of [CONNECT, DISCONNECT, REFRESH_QR, MIGRATE]
            minCapacity text      | {"requestId": "r", "accountId": "a", "action": "CONNECT", "minCapacity": "ten"} | field 'minCapacity' must be an integer, was string "ten"
            tags not an array     | {"requestId": "r", "accountId": "a", "action": "CONNECT", "tags": "primary"}   | field 'tags' must be an array, was string "primary"
            tag not a string      | {"requestId": "r", "accountId": "a", "action": "CONNECT", "tags": ["a", 2]}    | field 'tags[1]' must be a string, was number 2
            bad timestamp         | {"requestId": "r", "accountId": "a", "action": "CONNECT", "requestedAt": "yesterday"} | field 'requestedAt' is 'yesterday', not an ISO-8601 instant
            metadata value number | {"requestId": "r", "accountId": "a", "action": "CONNECT", "metadata": {"k": 1}} | field 'metadata.k' must be a string, was number 1
            """)
    void badJsonNamesTheTopicAndTheField(String caseName, String json, String expected) {
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode ConnectionRequest JSON from topic " + TOPIC)
                .hasMessageContaining(expected);
    }

    @Test
    void malformedJsonGetsAClearError() {
        assertThatThrownBy(() -> read("{\"requestId\": \"r\", "))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void aJsonArrayIsNotARequest() {
        assertThatThrownBy(() ->
                        serde.deserializer().deserialize(TOPIC, "[1, 2, 3, 4, 5, 6]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Avro single-object encoded");
    }

    private ConnectionRequest read(String json) {
        return serde.deserializer().deserialize(TOPIC, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listsAndMapsAreKeptInOrder() {
        ConnectionRequest request = read("""
                {"requestId": "r", "accountId": "a", "action": "CONNECT", "tags": ["b", "a"], "metadata": {"x": "1", "y": "2"}}""");

        assertThat(request.getTags()).isEqualTo(List.of("b", "a"));
        assertThat(request.getMetadata()).isEqualTo(Map.of("x", "1", "y", "2"));
    }
}
