package io.wafleet.simulator;

/**
 * A fault a simulated server can be put in through the control API, until it recovers.
 *
 * @param mode what goes wrong
 * @param slowMs extra delay of every answer, for {@link Mode#SLOW}
 * @param status the HTTP status answered, for {@link Mode#ERROR}
 */
public record Fault(Mode mode, long slowMs, int status) {

    /** What goes wrong. */
    public enum Mode {
        /** Answers normally. */
        NONE,
        /** Its port is closed: connections are refused. */
        DOWN,
        /** Accepts connections and requests, never answers. */
        HANG,
        /** Answers, {@code slowMs} late. */
        SLOW,
        /** Answers every request with {@code status} (5xx by default). */
        ERROR,
        /** Answers 200 with a body that is not valid JSON. */
        MALFORMED,
        /** Answers 200 with valid JSON of several megabytes. */
        OVERSIZED
    }

    public static final Fault NONE = new Fault(Mode.NONE, 0, 0);

    public static Fault of(Mode mode) {
        return new Fault(mode, mode == Mode.SLOW ? 2000 : 0, mode == Mode.ERROR ? 503 : 0);
    }

    public static Fault slow(long slowMs) {
        return new Fault(Mode.SLOW, slowMs, 0);
    }

    public static Fault error(int status) {
        return new Fault(Mode.ERROR, 0, status);
    }
}
