package io.wafleet.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A typed topic: its name (from configuration) and the serdes of its keys and values.
 *
 * @param name the topic's name
 * @param keySerde serde of its keys
 * @param valueSerde serde of its values
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
