package io.wafleet.sink;

import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a real event-sink application against the test's broker and database; several may run at once. */
final class SinkInstance {

    private SinkInstance() {}

    static ConfigurableApplicationContext start(
            KafkaCluster kafka, PostgresDatabase database, String groupId, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "wafleet.sink.group-id=" + groupId,
                "wafleet.sink.retry-initial=100ms",
                "wafleet.sink.retry-max=1s",
                "spring.datasource.hikari.connection-timeout=2000",
                "wafleet.cdc.enabled=false"));
        properties.addAll(database.springProperties());
        for (String extra : extraProperties) {
            String key = extra.substring(0, extra.indexOf('='));
            properties.removeIf(property -> property.startsWith(key + "="));
            properties.add(extra);
        }
        // As command-line arguments: they override application.yaml (builder properties would not).
        return new SpringApplicationBuilder(EventSinkApplication.class)
                .run(properties.stream().map(property -> "--" + property).toArray(String[]::new));
    }
}
