package io.wafleet.schemas;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads a record from plain UTF-8 JSON of its fields, for producers without Avro (kcat, scripts). Fields with a
 * default may be left out; enums are case-insensitive; timestamps are epoch millis or ISO-8601; unknown fields are
 * ignored, as Avro schema resolution ignores them.
 */
final class JsonRecordReader<T> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SpecificData model;
    private final Schema schema;

    JsonRecordReader(SpecificData model, Schema schema) {
        this.model = model;
        this.schema = schema;
    }

    @SuppressWarnings("unchecked")
    T read(String topic, byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw invalid(topic, "malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw invalid(topic, "unreadable JSON: " + e.getMessage());
        }
        try {
            return (T) convert(root, schema, "");
        } catch (InvalidField e) {
            throw invalid(topic, e.getMessage());
        }
    }

    private SerializationException invalid(String topic, String what) {
        return new SerializationException(
                "cannot decode %s JSON from topic %s: %s".formatted(schema.getName(), topic, what));
    }

    private Object convert(JsonNode node, Schema type, String path) {
        return switch (type.getType()) {
            case RECORD -> record(node, type, path);
            case UNION -> union(node, type, path);
            case ENUM -> enumSymbol(node, type, path);
            case ARRAY -> array(node, type, path);
            case MAP -> map(node, type, path);
            case STRING -> require(node, node.isTextual(), "a string", path).asText();
            case BOOLEAN ->
                require(node, node.isBoolean(), "true or false", path).asBoolean();
            case INT -> require(node, node.isInt(), "an integer", path).asInt();
            case LONG -> longValue(node, type, path);
            case FLOAT, DOUBLE ->
                require(node, node.isNumber(), "a number", path).asDouble();
            default -> throw new InvalidField(path, "has type " + type.getType() + ", which JSON input does not take");
        };
    }

    private IndexedRecord record(JsonNode node, Schema type, String path) {
        require(node, node.isObject(), "an object", path);
        IndexedRecord record = (IndexedRecord) model.newRecord(null, type);
        for (Field field : type.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            JsonNode value = node.get(field.name());
            if (value != null) {
                record.put(field.pos(), convert(value, field.schema(), fieldPath));
            } else if (field.hasDefaultValue()) {
                record.put(field.pos(), model.deepCopy(field.schema(), model.getDefaultValue(field)));
            } else {
                throw new InvalidField(fieldPath, "is missing and has no default");
            }
        }
        return record;
    }

    private Object union(JsonNode node, Schema type, String path) {
        if (node.isNull()) {
            if (type.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL)) {
                return null;
            }
            throw new InvalidField(path, "must not be null");
        }
        InvalidField last = null;
        for (Schema branch : type.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return convert(node, branch, path);
            } catch (InvalidField e) {
                last = e;
            }
        }
        throw last != null ? last : new InvalidField(path, "matches no branch of " + type);
    }

    private Object enumSymbol(JsonNode node, Schema type, String path) {
        require(node, node.isTextual(), "one of " + type.getEnumSymbols(), path);
        String symbol = node.asText().toUpperCase(Locale.ROOT).replace('-', '_');
        if (!type.hasEnumSymbol(symbol)) {
            throw new InvalidField(path, "is '%s', not one of %s".formatted(node.asText(), type.getEnumSymbols()));
        }
        return model.createEnum(symbol, type);
    }

    private List<Object> array(JsonNode node, Schema type, String path) {
        require(node, node.isArray(), "an array", path);
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(convert(node.get(i), type.getElementType(), path + "[" + i + "]"));
        }
        return items;
    }

    private Map<String, Object> map(JsonNode node, Schema type, String path) {
        require(node, node.isObject(), "an object", path);
        Map<String, Object> entries = new LinkedHashMap<>();
        node.properties()
                .forEach(entry -> entries.put(
                        entry.getKey(), convert(entry.getValue(), type.getValueType(), path + "." + entry.getKey())));
        return entries;
    }

    private Object longValue(JsonNode node, Schema type, String path) {
        boolean timestamp = type.getLogicalType() instanceof LogicalTypes.TimestampMillis;
        if (timestamp && node.isTextual()) {
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException e) {
                throw new InvalidField(path, "is '%s', not an ISO-8601 instant".formatted(node.asText()));
            }
        }
        String expected = timestamp ? "epoch milliseconds or an ISO-8601 instant" : "an integer";
        long value = require(node, node.canConvertToLong() && node.isIntegralNumber(), expected, path)
                .asLong();
        return timestamp ? Instant.ofEpochMilli(value) : value;
    }

    private static JsonNode require(JsonNode node, boolean holds, String expected, String path) {
        if (!holds) {
            throw new InvalidField(path, "must be %s, was %s".formatted(expected, describe(node)));
        }
        return node;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    /** A field that does not fit the schema; the message names the field's path. */
    private static final class InvalidField extends RuntimeException {
        InvalidField(String path, String what) {
            super("field '" + (path.isEmpty() ? "(root)" : path) + "' " + what, null, false, false);
        }
    }
}
