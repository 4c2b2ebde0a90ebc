package io.wafleet.demo;

import io.wafleet.schemas.TopicsConfig;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.TopicProvisioner;
import io.wafleet.service.WafleetProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./wafleet start}: the four services against an existing Kafka cluster and PostgreSQL. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = "Creates wafleet's topics where missing, then runs the services against KAFKA_BOOTSTRAP_SERVERS"
                + " and DATABASE_URL until Ctrl-C. Every other variable of the README's configuration table is passed"
                + " on to them.")
final class StartCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--logs", defaultValue = ".wafleet/logs", description = "Where each service's log goes.")
    Path logs;

    @CommandLine.Mixin
    Ports ports = new Ports();

    @Option(
            names = "--partitions",
            description = "Partitions of each topic it creates, unless WAFLEET_TOPICS_<TOPIC>_PARTITIONS says"
                    + " otherwise (default 6; docs/scaling.md for larger fleets).")
    Integer partitions;

    @Option(
            names = "--replication-factor",
            description = "Replicas of each topic it creates, unless WAFLEET_TOPICS_<TOPIC>_REPLICATIONFACTOR says"
                    + " otherwise (default 1; 3 on a production cluster).")
    Short replicationFactor;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String required : List.of("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")) {
            if (env.getOrDefault(required, "").isBlank()) {
                System.err.println(required + " is not set: ./wafleet start runs against your Kafka and PostgreSQL"
                        + " (./wafleet demo brings its own).");
                return 2;
            }
        }
        env.putAll(topicShapes(env, partitions, replicationFactor));
        // The cluster's address and security from KAFKA_* (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG, ...), which
        // the services read as well.
        try (Admin admin = Admin.create(KafkaClients.ofEnvironment(env).admin(Map.of()))) {
            ensureTopics(admin, WafleetProperties.topicsFromEnvironment(env)).forEach(System.out::println);
        }
        Services services = Services.start(Wafleet.home(), services(ports, Map.of()), env, logs);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            services.close();
                            stopped.countDown();
                        },
                        "wafleet-stop"));
        services.awaitReady(Duration.ofSeconds(120));
        System.out.println("wafleet is running: router " + "http://localhost:" + ports.router + "/ ; logs in " + logs
                + ". Ctrl-C stops.");
        stopped.await();
        return 0;
    }

    /**
     * The per-topic settings {@code --partitions} and {@code --replication-factor} stand for: one environment
     * variable for each topic that has none, so the topic settings stay in the one form the services bind.
     */
    static Map<String, String> topicShapes(Map<String, String> env, Integer partitions, Short replicationFactor) {
        Map<String, String> shapes = new HashMap<>();
        for (String key : TopicsConfig.KEYS) {
            String prefix = "WAFLEET_TOPICS_" + key.replace("-", "").toUpperCase(Locale.ROOT) + "_";
            if (partitions != null) {
                shapes.put(prefix + "PARTITIONS", partitions.toString());
            }
            if (replicationFactor != null) {
                shapes.put(prefix + "REPLICATIONFACTOR", replicationFactor.toString());
            }
        }
        shapes.keySet().removeAll(env.keySet());
        return shapes;
    }

    /** Creates the missing topics; returns what it did and how existing topics differ from the settings. */
    static List<String> ensureTopics(Admin admin, TopicsConfig topics) {
        List<String> report = new ArrayList<>();
        List<String> created = TopicProvisioner.ensure(admin, topics);
        report.add("topics: " + (created.isEmpty() ? "all there" : "created " + created));
        List<String> differences = TopicProvisioner.differences(admin, topics);
        differences.forEach(difference -> report.add("topics: " + difference));
        if (!differences.isEmpty()) {
            report.add("topics: existing topics are left as they are (kafka-topics.sh --alter adds partitions, which"
                    + " moves keys between them)");
        }
        return report;
    }

    private static Map<String, String> withManagementPort(Map<String, String> routerEnv, Ports ports) {
        Map<String, String> env = new java.util.LinkedHashMap<>(routerEnv);
        env.put("MANAGEMENT_PORT", Integer.toString(ports.routerManagement));
        return env;
    }

    /** The services, the router with {@code routerEnv} added. */
    static List<Services.Service> services(Ports ports, Map<String, String> routerEnv) {
        return List.of(
                new Services.Service("event-sink", ports.sink, Map.of()),
                new Services.Service("stats-aggregator", ports.aggregator, Map.of()),
                new Services.Service("health-probe", ports.probe, Map.of()),
                new Services.Service("router", ports.router, withManagementPort(routerEnv, ports)));
    }
}
