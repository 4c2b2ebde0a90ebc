package io.wafleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an answer has a fixture's shape: the same keys, the same values, where the fixture says {@code <string>},
 * {@code <number>}, {@code <base64-png>}, {@code <data-url-png>} or {@code <any>} a value of that kind.
 */
final class JsonShape {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    private JsonShape() {}

    /** What differs, one line each; empty when the answer fits. */
    static List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        compare("$", expected, actual, out);
        return out;
    }

    static boolean isPng(byte[] bytes) {
        if (bytes.length < PNG.length) {
            return false;
        }
        for (int i = 0; i < PNG.length; i++) {
            if (bytes[i] != PNG[i]) {
                return false;
            }
        }
        return true;
    }

    private static void compare(String at, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isTextual() && expected.asText().matches("<[a-z0-9-]+>")) {
            if (!fits(expected.asText(), actual)) {
                out.add(at + ": expected " + expected.asText() + ", was " + actual);
            }
            return;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                out.add(at + ": expected an object, was " + actual);
                return;
            }
            Set<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            Set<String> actualKeys = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            if (!keys.equals(actualKeys)) {
                out.add(at + ": keys " + actualKeys + ", expected " + keys);
            }
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (actual.has(key)) {
                    compare(at + "." + key, expected.get(key), actual.get(key), out);
                }
            }
            return;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                out.add(at + ": expected " + expected.size() + " items, was " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(at + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
            return;
        }
        if (!expected.equals(actual)) {
            out.add(at + ": expected " + expected + ", was " + actual);
        }
    }

    private static boolean fits(String placeholder, JsonNode actual) {
        return switch (placeholder) {
            case "<any>" -> true;
            case "<string>" -> actual.isTextual();
            case "<number>" -> actual.isNumber();
            case "<base64-png>" -> actual.isTextual() && isPng(decode(actual.asText()));
            case "<data-url-png>" ->
                actual.isTextual()
                        && actual.asText().startsWith("data:image/png;base64,")
                        && isPng(decode(actual.asText().substring("data:image/png;base64,".length())));
            default -> throw new IllegalArgumentException("unknown placeholder " + placeholder);
        };
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
