package io.wafleet.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON for the simulated servers' answers. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON of " + value.getClass(), e);
        }
    }

    /** A JavaScript {@code undefined}: its key is left out of the JSON, as JSON.stringify does. */
    static final Object UNDEFINED = new Object();

    /** An ordered JSON object of alternating keys and values; null values are kept, {@link #UNDEFINED} ones not. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != UNDEFINED) {
                object.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return object;
    }

    /** The value, or {@link #UNDEFINED} when it is null. */
    static Object orUndefined(Object value) {
        return value == null ? UNDEFINED : value;
    }
}
