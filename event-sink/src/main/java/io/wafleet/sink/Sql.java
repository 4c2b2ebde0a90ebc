package io.wafleet.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;

/** Binding Avro values to SQL parameters the way the schema stores them (enums in lower case, JSON as jsonb). */
final class Sql {

    static final ObjectMapper JSON = new ObjectMapper();

    private Sql() {}

    static void timestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setTimestamp(index, instant == null ? null : Timestamp.from(instant));
    }

    static void lower(PreparedStatement statement, int index, Enum<?> value) throws SQLException {
        statement.setString(index, value == null ? null : value.name().toLowerCase(Locale.ROOT));
    }

    static void nullableInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    static void nullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    static void nullableDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    /** A value as JSON text for a {@code ?::jsonb} parameter. */
    static void json(PreparedStatement statement, int index, Object value) throws SQLException {
        try {
            statement.setString(index, value == null ? null : JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write JSON for parameter " + index, e);
        }
    }
}
