package io.wafleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.Protocol;
import io.wafleet.avro.ServerConfig;
import io.wafleet.platform.FreePorts;
import io.wafleet.platform.kafka.EmbeddedKafka;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.TopicProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One probe worker (its exec jar, in its own JVM with a capped heap) against thousands of simulated servers (in
 * simulator JVMs of their own, each under the machine's open-file limit): checks per second and schedule lag, read
 * from the worker's /actuator/prometheus.
 */
@Command(name = "probe-throughput", mixinStandardHelpOptions = true)
public final class ProbeThroughput implements Callable<Integer> {

    @Option(names = "--simulator-jar", defaultValue = "simulator/target/wafleet-simulator-0.1.0-SNAPSHOT-exec.jar")
    Path simulatorJar;

    @Option(names = "--probe-jar", defaultValue = "health-probe/target/wafleet-health-probe-0.1.0-SNAPSHOT-exec.jar")
    Path probeJar;

    @Option(names = "--servers", defaultValue = "5000")
    int servers;

    @Option(names = "--servers-per-simulator", defaultValue = "2500")
    int perSimulator;

    @Option(names = "--interval-ms", defaultValue = "1000")
    int intervalMs;

    @Option(names = "--request-timeout-ms", defaultValue = "60000", description = "The seed's default.")
    int requestTimeoutMs;

    @Option(names = "--probe-heap", defaultValue = "512m")
    String probeHeap;

    @Option(
            names = "--probe-gc",
            defaultValue = "Parallel",
            description = "G1, Parallel, Serial, or default (no flag: the collector the JVM picks for the machine)")
    String probeGc;

    @Option(names = "--seconds", defaultValue = "30")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "30", description = "After the worker owns every server")
    int warmupSeconds;

    @Option(
            names = "--probe-java-option",
            description = "An extra JVM option for the worker (repeatable), e.g. a JFR recording")
    List<String> probeJavaOptions = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProbeThroughput()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Process> processes = new ArrayList<>();
        Path data = Files.createTempDirectory("wafleet-probe-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"))) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.ensure(admin, TopicsConfig.defaults());
            }
            List<Integer> ports = new ArrayList<>();
            for (int started = 0; started < servers; started += perSimulator) {
                SimulatorProcess simulator = SimulatorProcess.start(
                        simulatorJar,
                        List.of("-Xmx1g", "-XX:+UseParallelGC"),
                        List.of(
                                "--servers",
                                Integer.toString(Math.min(perSimulator, servers - started)),
                                "--no-api-keys",
                                "--latency-median-ms",
                                "1",
                                "--latency-p99-ms",
                                "5"));
                processes.add(simulator.process());
                for (JsonNode server : simulator.servers().get("servers")) {
                    ports.add(server.get("port").asInt());
                }
            }
            publishConfigs(kafka.bootstrapServers(), ports);
            int port = FreePorts.any();
            List<String> command = new ArrayList<>(List.of(SimulatorProcess.java(), "-Xmx" + probeHeap));
            if (!probeGc.equals("default")) {
                command.add("-XX:+Use" + probeGc + "GC");
            }
            command.addAll(probeJavaOptions);
            command.addAll(List.of(
                    "-jar",
                    probeJar.toString(),
                    "--server.port=" + port,
                    "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--logging.level.root=WARN"));
            Process probe = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            processes.add(probe);
            String metrics = "http://127.0.0.1:" + port + "/actuator/prometheus";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (PrometheusText.value(PrometheusText.scrape(metrics), "wafleet_probe_servers_owned") < servers) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the worker did not take all servers in 3 minutes");
                }
                TimeUnit.SECONDS.sleep(1);
            }
            TimeUnit.SECONDS.sleep(warmupSeconds); // the first round is spread over one interval; the JIT compiles
            Instant windowStart = Instant.now();
            List<ProcessHandle> simulators = processes.stream()
                    .filter(process -> process != probe)
                    .map(Process::toHandle)
                    .toList();
            ProcessHandle broker = ProcessHandle.of(kafka.pid()).orElseThrow();
            String before = PrometheusText.scrape(metrics);
            List<List<ProcessHandle>> groups = List.of(List.of(probe.toHandle()), simulators, List.of(broker));
            double[] cpuBefore = cpuSeconds(groups);
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            String after = PrometheusText.scrape(metrics);
            Instant windowEnd = Instant.now();
            double[] cpuAfter = cpuSeconds(groups);
            Files.writeString(data.resolve("probe-metrics.txt"), after);
            System.out.println("worker metrics saved in " + data.resolve("probe-metrics.txt"));
            for (String line : after.split("\n")) {
                if (line.startsWith("wafleet_probe_checks_total{")) {
                    System.out.println("  " + line + " (total since start)");
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double checks = PrometheusText.sum(after, "wafleet_probe_checks_total")
                    - PrometheusText.sum(before, "wafleet_probe_checks_total");
            String failed = "wafleet_probe_checks_total\\{[^}]*kind=\"[A-Z_]+\",result=\"failure\"\\}";
            double failures = PrometheusText.sum(after, failed) - PrometheusText.sum(before, failed);
            System.out.printf(
                    Locale.ROOT,
                    "servers=%d interval=%d ms heap=%s gc=%s (%s)%n%.0f checks/s (%.0f failed) over %.0f s;"
                            + " schedule lag p50 %.1f ms, p99 %.1f ms; heap used %.0f MB%n",
                    servers,
                    intervalMs,
                    probeHeap,
                    probeGc,
                    PrometheusText.collectors(after),
                    checks / elapsed,
                    failures,
                    elapsed,
                    1000 * PrometheusText.quantile(before, after, "wafleet_probe_schedule_lag_seconds", 0.5),
                    1000 * PrometheusText.quantile(before, after, "wafleet_probe_schedule_lag_seconds", 0.99),
                    PrometheusText.sum(after, "jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}") / 1e6);
            double probeCpu = cpuAfter[0] - cpuBefore[0];
            System.out.printf(
                    Locale.ROOT,
                    "cores used in the window: worker %.2f, simulators %.2f, broker %.2f (of %d);"
                            + " worker CPU per check %.0f µs%n",
                    probeCpu / elapsed,
                    (cpuAfter[1] - cpuBefore[1]) / elapsed,
                    (cpuAfter[2] - cpuBefore[2]) / elapsed,
                    Runtime.getRuntime().availableProcessors(),
                    1e6 * probeCpu / checks);
            stop(probe); // the topic read below then has an end
            System.out.printf(
                    Locale.ROOT,
                    "JIT compilation in the window %.1f s; check latency (call to answer, as published) %s%n",
                    (PrometheusText.value(after, "jvm_compilation_time_ms_total")
                                    - PrometheusText.value(before, "jvm_compilation_time_ms_total"))
                            / 1000,
                    PublishedChecks.latencies(kafka.bootstrapServers(), windowStart, windowEnd));
            return 0;
        } finally {
            processes.forEach(Process::destroy);
            for (Process process : processes) {
                stop(process);
            }
        }
    }

    private void publishConfigs(String bootstrap, List<Integer> ports) throws Exception {
        Topic<String, ServerConfig> topic = Topics.defaults().serverConfigs();
        try (KafkaProducer<String, ServerConfig> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < ports.size(); i++) {
                String id = String.format("bench-%05d", i);
                producer.send(new ProducerRecord<>(
                        topic.name(),
                        id,
                        ServerConfig.newBuilder()
                                .setId(id)
                                .setName(id)
                                .setHostname("127.0.0.1")
                                .setPort(ports.get(i))
                                .setProtocol(Protocol.HTTP)
                                .setDialect(Dialect.SEED)
                                .setEnvironment("bench")
                                .setHealthCheckInterval(intervalMs)
                                .setConnectionTimeout(requestTimeoutMs)
                                .setRequestTimeout(requestTimeoutMs)
                                .setMaxRetries(0)
                                .setCreatedAt(now)
                                .setUpdatedAt(now)
                                .build()));
            }
            producer.flush();
        }
    }

    /** Asks the process to stop, and kills it if it has not within 20 s. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** CPU seconds each group of processes has used since they started (user and system). */
    private static double[] cpuSeconds(List<List<ProcessHandle>> groups) {
        return groups.stream()
                .mapToDouble(group -> group.stream()
                        .mapToDouble(process -> process.info()
                                        .totalCpuDuration()
                                        .orElseThrow(
                                                () -> new IllegalStateException("no CPU time for " + process.pid()))
                                        .toNanos()
                                / 1e9)
                        .sum())
                .toArray();
    }
}
