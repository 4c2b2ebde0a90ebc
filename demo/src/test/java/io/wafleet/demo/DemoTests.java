package io.wafleet.demo;

/** What the demo module's test classes share. */
final class DemoTests {

    /**
     * The lock every test class of the module holds but {@link FaultMatrixTest}: they run one at a time (several use
     * the example fleet's ports 3001–3012, and each keeps the two cores busy), while the fault matrix, on free ports
     * and waiting out its faults most of the time, runs beside them (see {@code junit-platform.properties}).
     */
    static final String ONE_AT_A_TIME = "wafleet-demo-one-at-a-time";

    private DemoTests() {}
}
