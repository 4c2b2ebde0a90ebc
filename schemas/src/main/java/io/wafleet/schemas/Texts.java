package io.wafleet.schemas;

/**
 * The one rule for texts from outside (producers, REST bodies, server answers) on their way into events and the
 * audit: no control characters. PostgreSQL cannot store a NUL in a text, and a line break forges log lines and
 * headers.
 */
public final class Texts {

    private Texts() {}

    /** The index of the first control character, or -1. */
    public static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    public static boolean hasControl(String text) {
        return text != null && firstControl(text) >= 0;
    }

    /** The text without its control characters (the same text when it has none). */
    public static String printable(String text) {
        if (firstControl(text) < 0) {
            return text;
        }
        StringBuilder clean = new StringBuilder(text.length());
        text.chars().filter(c -> !Character.isISOControl(c)).forEach(c -> clean.append((char) c));
        return clean.toString();
    }
}
