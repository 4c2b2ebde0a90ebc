package io.wafleet.platform.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Entry point of the broker child process: formats the KRaft storage when it is new, then runs the Apache Kafka
 * broker as {@code bin/kafka-server-start.sh} does. Exits when its parent goes away (standard input closes), so a
 * killed test JVM leaves no broker behind.
 */
public final class KafkaBrokerMain {

    /** Name of the file in the data folder that holds the cluster id of a formatted storage. */
    static final String CLUSTER_ID_PROPERTY = "wafleet.cluster.id";

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KafkaBrokerMain <server.properties>");
            System.exit(2);
        }
        String config = args[0];
        String clusterId = clusterId(Path.of(config));
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", config, "--ignore-formatted"}, System.out);
        if (formatted != 0) {
            System.err.println("formatting the KRaft storage failed with exit code " + formatted);
            System.exit(formatted);
        }
        watchParent();
        kafka.Kafka.main(new String[] {config});
    }

    private static String clusterId(Path config) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            properties.load(in);
        }
        return properties.getProperty(CLUSTER_ID_PROPERTY);
    }

    private static void watchParent() {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        while (System.in.read() != -1) {
                            // The parent never writes; reading only tells when it has gone.
                        }
                    } catch (IOException ignored) {
                        // A broken pipe means the parent has gone too.
                    }
                    System.exit(0);
                },
                "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
