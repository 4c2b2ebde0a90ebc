package io.wafleet.router.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerNotice;
import io.wafleet.client.ServerEndpoints;
import io.wafleet.client.ServerNotices;
import io.wafleet.router.FleetState;
import io.wafleet.service.TopicListener;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/**
 * Evolution's own Kafka events, read when {@code evolution-topics} names them: EvolutionAPI/evolution-api 2.3.6
 * {@code src/api/integrations/event/kafka/kafka.controller.ts} writes {@code <prefix>.<instance>.<event>} and {@code
 * <prefix>.global.<event>} (prefix {@code evolution}), JSON {@code {event, instance, data, server_url, date_time,
 * sender, apikey, timestamp}}, into the same notices as the webhooks. A topic carries no proof of its sender: the
 * server is the configured Evolution server whose URL is the event's {@code server_url} (Evolution's {@code
 * SERVER_URL}: set it to the address wafleet has for the server); an event from none of them is a dead letter. The
 * routers read these topics as one consumer group ({@code <accounts group>-evolution}), so each event is read once;
 * an event is committed once its notice is on the broker.
 */
public final class EvolutionKafkaNotices extends TopicListener<byte[], byte[]> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Pattern topics;
    private final FleetState fleet;
    private final NoticeSender sender;
    private final ServerSignals signals;
    private final Clock clock;
    /** The server last found for a {@code server_url}, checked again against its config on every use. */
    private final Map<String, String> byUrl = new java.util.concurrent.ConcurrentHashMap<>();

    public EvolutionKafkaNotices(
            ConsumerFactory<byte[], byte[]> consumers,
            Pattern topics,
            FleetState fleet,
            NoticeSender sender,
            ServerSignals signals,
            Clock clock) {
        super("evolution-events", consumers);
        this.topics = topics;
        this.fleet = fleet;
        this.sender = sender;
        this.signals = signals;
        this.clock = clock;
    }

    @Override
    protected ContainerProperties properties() {
        ContainerProperties properties = new ContainerProperties(topics);
        properties.setMessageListener((MessageListener<byte[], byte[]>) this::handle);
        return properties;
    }

    void handle(ConsumerRecord<byte[], byte[]> record) {
        Optional<String> server = serverOf(record.value());
        if (server.isEmpty()) {
            sender.deadLetter(
                    "unknown",
                    record.value(),
                    "Evolution event on " + record.topic()
                            + " from a server_url that is no configured Evolution server's URL");
            return;
        }
        try {
            ServerNotices.read(
                            new ServerNotices.Delivery(server.get(), Dialect.EVOLUTION, Map.of(), record.value()),
                            clock.instant())
                    .ifPresent(this::publish);
        } catch (ServerNotices.Unreadable e) {
            sender.deadLetter(
                    server.get(),
                    record.value(),
                    "unreadable Evolution event on " + record.topic() + ": " + e.getMessage());
        }
    }

    private void publish(ServerNotice notice) {
        try {
            sender.notice(notice).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Not committed: the container's error handling reads it again.
            throw new IllegalStateException("notice " + notice.getNoticeId() + " not written: " + e, e);
        }
        signals.observe(notice);
    }

    /** The configured Evolution server whose base URL is the event's {@code server_url}. */
    private Optional<String> serverOf(byte[] value) {
        String url;
        try {
            JsonNode json = MAPPER.readTree(value);
            url = json == null ? null : json.path("server_url").asText(null);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (url == null) {
            return Optional.empty();
        }
        String wanted = normalized(url);
        String known = byUrl.get(wanted);
        if (known != null && fleet.config(known) != null && isAt(fleet.config(known), wanted)) {
            return Optional.of(known);
        }
        Optional<String> found = fleet.configs().stream()
                .filter(config -> isAt(config, wanted))
                .map(ServerConfig::getId)
                .findFirst();
        found.ifPresentOrElse(id -> byUrl.put(wanted, id), () -> byUrl.remove(wanted));
        return found;
    }

    private static boolean isAt(ServerConfig config, String url) {
        return config.getDialect() == Dialect.EVOLUTION
                && normalized(ServerEndpoints.baseUrl(config)).equals(url);
    }

    private static String normalized(String url) {
        return url.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    }
}
