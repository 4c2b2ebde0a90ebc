package io.wafleet.demo;

import picocli.CommandLine.Option;

/** The services' HTTP ports (API, actuator; the router's actuator has its own), as options of {@code ./wafleet demo} and {@code ./wafleet start}. */
final class Ports {

    @Option(names = "--router-port", defaultValue = "8080", description = "The router: API and dashboard.")
    int router = 8080;

    @Option(
            names = "--router-management-port",
            defaultValue = "8081",
            description = "The router's actuator: metrics and health details, for Prometheus and ops only.")
    int routerManagement = 8081;

    @Option(names = "--probe-port", defaultValue = "8082")
    int probe = 8082;

    @Option(names = "--sink-port", defaultValue = "8083")
    int sink = 8083;

    @Option(names = "--aggregator-port", defaultValue = "8084")
    int aggregator = 8084;

    static Ports of(int router, int routerManagement, int probe, int sink, int aggregator) {
        Ports ports = new Ports();
        ports.router = router;
        ports.routerManagement = routerManagement;
        ports.probe = probe;
        ports.sink = sink;
        ports.aggregator = aggregator;
        return ports;
    }
}
