package io.wafleet.simulator;

import io.wafleet.avro.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar wafleet-simulator-exec.jar --servers 20 --dialects mixed}: starts a fleet of simulated WhatsApp
 * servers, prints it as servers.json on standard output (logs go to standard error), and runs until Ctrl-C.
 */
@Command(
        name = "wafleet-simulator",
        mixinStandardHelpOptions = true,
        description = "Starts a fleet of fake WhatsApp HTTP API servers on loopback and prints it as servers.json.")
public final class SimulatorMain implements Callable<Integer> {

    /** Which dialects the fleet speaks; MIXED cycles through the three. */
    enum Dialects {
        SEED,
        WAHA,
        EVOLUTION,
        MIXED
    }

    @Option(names = "--servers", defaultValue = "5", description = "How many servers (default ${DEFAULT-VALUE}).")
    int servers;

    @Option(
            names = "--dialects",
            defaultValue = "seed",
            description = "seed, waha, evolution or mixed (default ${DEFAULT-VALUE}).",
            converter = DialectsConverter.class)
    Dialects dialects;

    @Option(
            names = "--base-port",
            defaultValue = "0",
            description = "First port; the servers take consecutive ports. 0: any free ports.")
    int basePort;

    @Option(
            names = "--control-port",
            defaultValue = "0",
            description = "Port of the control API (default: any free port).")
    int controlPort;

    @Option(
            names = "--latency-median-ms",
            defaultValue = "5",
            description = "Median latency (default ${DEFAULT-VALUE}).")
    double latencyMedianMs;

    @Option(
            names = "--latency-p99-ms",
            defaultValue = "40",
            description = "99th percentile latency (default ${DEFAULT-VALUE}).")
    double latencyP99Ms;

    @Option(
            names = "--error-rate",
            defaultValue = "0",
            description = "Fraction of requests answered 500 (default ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(
            names = "--scan-delay-ms",
            defaultValue = "5000",
            description = "After how long a QR is 'scanned' (default ${DEFAULT-VALUE}); 0: only by a control call.")
    long scanDelayMs;

    @Option(
            names = "--max-instances",
            defaultValue = "5",
            description = "Instances per server (default ${DEFAULT-VALUE}).")
    int maxInstances;

    @Option(
            names = "--max-users-per-instance",
            defaultValue = "100",
            description = "Accounts per instance (default ${DEFAULT-VALUE}).")
    int maxUsersPerInstance;

    @Option(
            names = "--environments",
            defaultValue = "production",
            split = ",",
            description = "Environments, given to the servers in turn.")
    List<String> environments;

    @Option(
            names = "--locations",
            defaultValue = "US-East,US-West",
            split = ",",
            description = "Locations, given to the servers in turn.")
    List<String> locations;

    @Option(names = "--no-api-keys", description = "Servers take no API key (by default each has a random one).")
    boolean noApiKeys;

    @Option(names = "--tls", description = "Serve HTTPS with a self-signed certificate.")
    boolean tls;

    @Option(names = "--output", description = "Also write servers.json to this file.")
    Path output;

    @Option(
            names = "--from",
            description = "Start the servers a servers.json describes (names, dialects, ports, keys, pools) instead of"
                    + " generating them; --latency-* and --scan-delay-ms still apply.")
    Path from;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "wafleet-simulator-logback.xml");
        }
        System.exit(new CommandLine(new SimulatorMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SimulatedFleet fleet = from != null
                ? SimulatedFleet.fromServersJson(
                        from,
                        latencyMedianMs,
                        latencyP99Ms,
                        scanDelayMs == 0 ? null : Duration.ofMillis(scanDelayMs),
                        controlPort)
                : SimulatedFleet.startWithControl(specs(), controlPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            fleet.close();
                            stopped.countDown();
                        },
                        "simulator-shutdown"));
        String json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(fleet.serversJson());
        if (output != null) {
            Files.writeString(output, json + "\n");
        }
        System.out.println(json);
        System.out.flush();
        System.err.printf(
                "%d simulated servers running; control API at %s; Ctrl-C stops.%n",
                fleet.servers().size(), fleet.controlUrl().orElseThrow());
        stopped.await();
        return 0;
    }

    List<ServerSpec> specs() {
        if (servers < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--servers must be at least 1");
        }
        List<ServerSpec> specs = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < servers; i++) {
            Dialect dialect = dialects == Dialects.MIXED
                    ? Dialect.values()[i % Dialect.values().length]
                    : Dialect.valueOf(dialects.name());
            String id = String.format("sim-%03d", i + 1);
            byte[] key = new byte[16];
            random.nextBytes(key);
            specs.add(ServerSpec.builder(id, dialect)
                    .name(String.format("WA-Sim-%s-%03d", dialect.name().toLowerCase(Locale.ROOT), i + 1))
                    .port(basePort == 0 ? 0 : basePort + i)
                    .latency(latencyMedianMs, latencyP99Ms)
                    .errorRate(errorRate)
                    .capacity(maxInstances, maxUsersPerInstance)
                    .apiKey(noApiKeys ? null : HexFormat.of().formatHex(key))
                    .tls(tls)
                    .scanDelay(scanDelayMs == 0 ? null : Duration.ofMillis(scanDelayMs))
                    .pool(environments.get(i % environments.size()), locations.get(i % locations.size()))
                    .priority(1 + i % 2, 10 - i % 3)
                    .tags(List.of(dialect.name().toLowerCase(Locale.ROOT), "simulated"))
                    .build());
        }
        return specs;
    }

    /** Reads --dialects in any case. */
    static final class DialectsConverter implements CommandLine.ITypeConverter<Dialects> {
        @Override
        public Dialects convert(String value) {
            return Dialects.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
