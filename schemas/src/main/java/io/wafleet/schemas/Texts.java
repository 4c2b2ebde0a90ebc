package io.wafleet.schemas;

/**
 * The one rule for texts from outside (producers, REST bodies, server answers) on their way into events and the
 * audit: no control characters, and what a request gives at most {@link #MAX_LENGTH} characters. PostgreSQL cannot
 * store a NUL in a text, a line break forges log lines and headers, and a field of a megabyte makes every event of
 * its account as large.
 */
public final class Texts {

    /** The longest text a request (REST body or topic record) may carry in any field. */
    public static final int MAX_LENGTH = 1024;

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
