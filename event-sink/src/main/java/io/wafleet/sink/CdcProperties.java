package io.wafleet.sink;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * CDC settings ({@code wafleet.cdc.*}).
 *
 * @param enabled run the Debezium engine (in the instance that holds the lock)
 * @param slotName the logical replication slot
 * @param publicationName the publication of server_configs and server_lb_rules
 * @param lockRetry how often an instance without the lock tries to take it
 * @param debezium further Debezium settings, passed through as they are
 */
@ConfigurationProperties("wafleet.cdc")
public record CdcProperties(
        Boolean enabled, String slotName, String publicationName, Duration lockRetry, Map<String, String> debezium) {

    public CdcProperties {
        enabled = enabled == null || enabled;
        slotName = slotName == null ? "wafleet_cdc" : slotName;
        publicationName = publicationName == null ? "wafleet_cdc" : publicationName;
        lockRetry = lockRetry == null ? Duration.ofSeconds(2) : lockRetry;
        debezium = debezium == null ? Map.of() : Map.copyOf(debezium);
    }
}
