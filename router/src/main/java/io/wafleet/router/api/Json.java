package io.wafleet.router.api;

import io.wafleet.schemas.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one JSON object's fields with their types checked, so that every mistake is reported with its field's path
 * ({@code servers[1].port}) rather than as an unreadable body.
 */
public final class Json {

    /** The longest string a request body may carry in any field. */
    public static final int MAX_TEXT = Texts.MAX_LENGTH;

    private final Map<String, Object> object;
    private final String path;

    public Json(Map<String, Object> object, String path) {
        this.object = object == null ? Map.of() : object;
        this.path = path;
    }

    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** The object's field names. */
    public Set<String> keys() {
        return object.keySet();
    }

    public boolean has(String field) {
        return object.get(field) != null;
    }

    /** Whether the field is in the object at all, even as {@code null}. */
    public boolean present(String field) {
        return object.containsKey(field);
    }

    public String text(String field, String fallback) {
        Object value = object.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw new BadField(path(field), "must be a string");
        }
        return plain(path(field), text);
    }

    /**
     * Every string a body carries: at most {@link #MAX_TEXT} characters and no control characters (a NUL is refused
     * by PostgreSQL, a line break forges log lines and headers), trimmed.
     */
    private static String plain(String path, String text) {
        if (text.length() > MAX_TEXT) {
            throw new BadField(path, "must be at most " + MAX_TEXT + " characters, was " + text.length());
        }
        if (Texts.hasControl(text)) {
            throw new BadField(path, "must not contain control characters");
        }
        return text.trim();
    }

    public String requiredText(String field) {
        String value = text(field, null);
        if (value == null || value.isEmpty()) {
            throw new BadField(path(field), "is required");
        }
        return value;
    }

    public int integer(String field, int fallback, int min, int max) {
        Object value = object.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw new BadField(path(field), "must be a whole number");
        }
        long whole = number.longValue();
        if (whole < min || whole > max) {
            throw new BadField(path(field), "must be between " + min + " and " + max + ", was " + whole);
        }
        return (int) whole;
    }

    public Integer optionalInteger(String field, int min, int max) {
        return has(field) ? integer(field, 0, min, max) : null;
    }

    public double decimal(String field, double fallback, double min, double max) {
        Object value = object.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new BadField(path(field), "must be a number");
        }
        double decimal = number.doubleValue();
        if (decimal < min || decimal > max) {
            throw new BadField(path(field), "must be between " + min + " and " + max + ", was " + decimal);
        }
        return decimal;
    }

    public boolean bool(String field, boolean fallback) {
        Object value = object.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean bool)) {
            throw new BadField(path(field), "must be true or false");
        }
        return bool;
    }

    /** A lower-case enum value of {@code allowed}, as the seed writes them ({@code https}, {@code round_robin}). */
    public String choice(String field, String fallback, Set<String> allowed) {
        String value = text(field, null);
        if (value == null) {
            return fallback;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new BadField(
                    path(field), "must be one of " + allowed.stream().sorted().toList() + ", was '" + value + "'");
        }
        return lower;
    }

    public List<String> strings(String field) {
        Object value = object.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new BadField(path(field), "must be a list of strings");
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String text) || text.isBlank()) {
                throw new BadField(path(field) + "[" + i + "]", "must be a non-empty string");
            }
            strings.add(plain(path(field) + "[" + i + "]", text));
        }
        return strings;
    }

    @SuppressWarnings("unchecked")
    public List<Json> objects(String field) {
        Object value = object.get(field);
        if (!(value instanceof List<?> list)) {
            throw new BadField(path(field), "must be a list of objects");
        }
        List<Json> objects = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw new BadField(path(field) + "[" + i + "]", "must be an object");
            }
            objects.add(new Json((Map<String, Object>) map, path(field) + "[" + i + "]"));
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    public Json object(String field) {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new BadField(path(field), "must be an object");
        }
        return new Json((Map<String, Object>) map, path(field));
    }
}
