package io.wafleet.schemas;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde that is its own serializer and deserializer, configured at construction and holding no resources: the
 * plumbing wafleet's record serdes ({@link AvroSerde}, {@link ConfluentSerde}) share.
 */
abstract class RecordSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    @Override
    public final Serializer<T> serializer() {
        return this;
    }

    @Override
    public final Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public final void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: everything is given at construction.
    }

    @Override
    public final void close() {
        // Nothing to release.
    }
}
