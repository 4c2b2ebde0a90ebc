package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every topic record's published versions keep the evolution rule, and the current schema is published. */
class SchemaEvolutionTest {

    static final List<Class<? extends SpecificRecord>> TYPES = RecordTypes.TOPIC_VALUES;

    @ParameterizedTest
    @FieldSource("TYPES")
    void currentSchemaIsThePublishedNewestVersion(Class<? extends SpecificRecord> type) {
        List<Schema> published = SchemaHistory.versions(type.getSimpleName());
        Schema current = SpecificData.get().getSchema(type);

        assertThat(published)
                .as("published versions of %s", type.getSimpleName())
                .isNotEmpty();
        assertThat(SchemaNormalization.parsingFingerprint64(published.get(published.size() - 1)))
                .as(
                        "%s changed without a new version: run PublishSchemas (see README, 'Changing a schema')",
                        type.getSimpleName())
                .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    }

    @ParameterizedTest
    @FieldSource("TYPES")
    void everyVersionIsBackwardAndForwardCompatibleWithEveryEarlierOne(Class<? extends SpecificRecord> type) {
        List<Schema> versions = SchemaHistory.versions(type.getSimpleName());

        assertThat(SchemaEvolution.incompatibilities(type.getSimpleName(), versions))
                .isEmpty();
    }

    @Test
    void aFieldAddedWithoutDefaultBreaksBackwardCompatibility() {
        Schema v1 = record("{\"name\": \"a\", \"type\": \"string\"}");
        Schema v2 = record("{\"name\": \"a\", \"type\": \"string\"}, {\"name\": \"b\", \"type\": \"int\"}");

        assertThat(SchemaEvolution.incompatibilities("R", List.of(v1, v2)))
                .singleElement()
                .asString()
                .contains("not backward compatible: v2 cannot read v1");
    }

    @Test
    void aFieldRemovedWithoutDefaultBreaksForwardCompatibility() {
        Schema v1 = record("{\"name\": \"a\", \"type\": \"string\"}, {\"name\": \"b\", \"type\": \"int\"}");
        Schema v2 = record("{\"name\": \"a\", \"type\": \"string\"}");

        assertThat(SchemaEvolution.incompatibilities("R", List.of(v1, v2)))
                .singleElement()
                .asString()
                .contains("not forward compatible: v1 cannot read v2");
    }

    @Test
    void everyVersionIsCheckedAgainstEveryEarlierOneNotOnlyItsPredecessor() {
        Schema v1 = record("{\"name\": \"a\", \"type\": \"string\"}");
        Schema v2 =
                record("{\"name\": \"a\", \"type\": \"string\"}, {\"name\": \"b\", \"type\": \"int\", \"default\": 0}");
        // v3 drops b's default: it reads v2 (which has b) but not v1 (which lacks it).
        Schema v3 = record("{\"name\": \"a\", \"type\": \"string\"}, {\"name\": \"b\", \"type\": \"int\"}");

        assertThat(SchemaEvolution.incompatibilities("R", List.of(v1, v2, v3)))
                .singleElement()
                .asString()
                .contains("v3 cannot read v1");
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"R\", \"fields\": [" + fields + "]}");
    }
}
