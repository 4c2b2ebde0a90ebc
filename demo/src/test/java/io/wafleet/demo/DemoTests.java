package io.wafleet.demo;

/** What the demo module's test classes share. */
final class DemoTests {

    /**
     * The lock of the test classes that run a whole platform (the services as processes beside a broker and a
     * database): they run one at a time (several use the example fleet's ports 3001–3012, and each keeps the two
     * cores busy). The fault matrix, on free ports and waiting out its faults most of the time, runs beside them, and
     * so do the light classes (promtool, one command, the compose file read; its jars started take the lock): see
     * {@code junit-platform.properties}.
     */
    static final String ONE_AT_A_TIME = "wafleet-demo-one-at-a-time";

    private DemoTests() {}
}
