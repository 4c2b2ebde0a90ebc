package io.wafleet.service;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place every Kafka client of wafleet gets its connection settings: bootstrap servers, {@code
 * security.protocol}, SASL mechanism and JAAS config, trust and key stores, and any other client property. In the
 * services they come from Spring Boot's {@code spring.kafka.*} (including {@code spring.kafka.properties.*}); outside
 * Spring (the launcher) and as well in the services, from {@code KAFKA_*} environment variables, each the property
 * in upper case with {@code _} for {@code .} ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}, {@code
 * KAFKA_SSL_TRUSTSTORE_LOCATION}); variables that name no client property ({@code KAFKA_HEAP_OPTS}) are ignored.
 * Spring's settings win over the environment's; a client's own settings (group id, acks) win over both. The bootstrap
 * servers are always {@code KAFKA_BOOTSTRAP_SERVERS} ({@code wafleet.bootstrap-servers}).
 */
public final class KafkaClients {

    private static final Set<String> CLIENT_PROPERTIES = new TreeSet<>();

    static {
        CLIENT_PROPERTIES.addAll(ConsumerConfig.configNames());
        CLIENT_PROPERTIES.addAll(ProducerConfig.configNames());
        CLIENT_PROPERTIES.addAll(AdminClientConfig.configNames());
    }

    /**
     * wafleet's own defaults for consumer groups, under every setting from outside: a member that died (killed, its
     * host gone) is noticed after 10 s instead of Kafka's 45 s, so its partitions (a router's requests, an
     * aggregator's checks) move to the others that much sooner. Heartbeats are sent on a thread of their own, so a
     * slow poll does not count against it.
     */
    static final Map<String, Object> GROUP_DEFAULTS = Map.of(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);

    private final Map<String, Object> consumer;
    private final Map<String, Object> producer;
    private final Map<String, Object> admin;
    private final Map<String, Object> streams;

    /**
     * Each client kind's settings: the environment's, then Spring's over them, then the bootstrap servers over all
     * ({@code KAFKA_BOOTSTRAP_SERVERS}, the one setting of them all).
     */
    KafkaClients(
            Map<String, String> environment,
            String bootstrapServers,
            Map<String, Object> consumer,
            Map<String, Object> producer,
            Map<String, Object> admin,
            Map<String, Object> streams) {
        Map<String, Object> base = fromEnvironment(environment);
        Map<String, Object> bootstrap = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.consumer = over(over(over(GROUP_DEFAULTS, base), consumer), bootstrap);
        this.producer = over(over(base, producer), bootstrap);
        this.admin = over(over(base, admin), bootstrap);
        this.streams = over(over(over(GROUP_DEFAULTS, base), streams), bootstrap);
    }

    /** Settings from the environment only ({@code KAFKA_BOOTSTRAP_SERVERS} and the rest): for the launcher. */
    public static KafkaClients ofEnvironment(Map<String, String> environment) {
        return new KafkaClients(
                environment,
                environment.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of());
    }

    /** {@code KAFKA_*} variables that name a client property, as that property. */
    public static Map<String, Object> fromEnvironment(Map<String, String> environment) {
        Map<String, Object> settings = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && value != null && !value.isBlank()) {
                String property = name.substring("KAFKA_".length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                if (CLIENT_PROPERTIES.contains(property)) {
                    settings.put(property, value);
                }
            }
        });
        return settings;
    }

    public Map<String, Object> consumer(Map<String, Object> own) {
        return over(consumer, own);
    }

    public Map<String, Object> producer(Map<String, Object> own) {
        return over(producer, own);
    }

    public Map<String, Object> admin(Map<String, Object> own) {
        return over(admin, own);
    }

    public Map<String, Object> streams(Map<String, Object> own) {
        return over(streams, own);
    }

    private static Map<String, Object> over(Map<String, Object> base, Map<String, Object> top) {
        Map<String, Object> merged = new HashMap<>(base);
        merged.putAll(top);
        return merged;
    }

    @Override
    public String toString() {
        // Never the values: a JAAS config or a store password may be among them.
        return "KafkaClients[" + new TreeSet<>(admin.keySet()) + "]";
    }
}
