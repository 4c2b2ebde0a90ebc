package io.wafleet.sink;

import io.wafleet.avro.Dialect;
import io.wafleet.avro.EventLevel;
import io.wafleet.avro.LbAlgorithm;
import io.wafleet.avro.LbRule;
import io.wafleet.avro.Protocol;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns Debezium's change rows of server_configs and server_lb_rules into wafleet's records: the current
 * ServerConfig or LbRule, and a ServerEvent saying who changed what from what to what. The API key column carries
 * ciphertext only, and an event says only that it changed.
 */
final class ConfigChanges {

    static final String API_KEY_COLUMN = "api_key_ciphertext";

    private ConfigChanges() {}

    static ServerConfig serverConfig(Struct row) {
        return ServerConfig.newBuilder()
                .setId(row.getString("id"))
                .setName(row.getString("name"))
                .setHostname(row.getString("hostname"))
                .setIpAddress(row.getString("ip_address"))
                .setPort(row.getInt32("port"))
                .setProtocol(Protocol.valueOf(row.getString("protocol").toUpperCase(Locale.ROOT)))
                .setBasePath(row.getString("base_path"))
                .setDialect(Dialect.valueOf(row.getString("dialect").toUpperCase(Locale.ROOT)))
                .setEnvironment(row.getString("environment"))
                .setLocation(row.getString("location"))
                .setConnectionTimeout(row.getInt32("connection_timeout"))
                .setRequestTimeout(row.getInt32("request_timeout"))
                .setMaxRetries(row.getInt32("max_retries"))
                .setHealthCheckInterval(row.getInt32("health_check_interval"))
                .setHealthCheckEndpoint(row.getString("health_check_endpoint"))
                .setMaxInstances(row.getInt32("max_instances"))
                .setMaxUsersPerInstance(row.getInt32("max_users_per_instance"))
                .setMessagingRateLimit(row.getInt32("messaging_rate_limit"))
                .setIsEnabled(row.getBoolean("is_enabled"))
                .setPriority(row.getInt32("priority"))
                .setWeight(row.getInt32("weight"))
                .setTags(strings(row, "tags"))
                .setSslVerify(row.getBoolean("ssl_verify"))
                .setAllowedIps(strings(row, "allowed_ips"))
                .setApiKeyCiphertext(row.getString(API_KEY_COLUMN))
                .setRise(row.getInt32("rise"))
                .setFall(row.getInt32("fall"))
                .setDraining(row.getBoolean("draining"))
                .setVersion(row.getInt64("version"))
                .setCreatedAt(instant(row.getString("created_at")))
                .setUpdatedAt(instant(row.getString("updated_at")))
                .setCreatedBy(row.getString("created_by"))
                .setUpdatedBy(row.getString("updated_by"))
                .setTrustedNetwork(row.getBoolean("trusted_network"))
                .build();
    }

    static LbRule lbRule(Struct row) {
        return LbRule.newBuilder()
                .setId(row.getString("id"))
                .setName(row.getString("name"))
                .setEnvironment(row.getString("environment"))
                .setLocation(row.getString("location"))
                .setAlgorithm(LbAlgorithm.valueOf(row.getString("algorithm").toUpperCase(Locale.ROOT)))
                .setHealthCheckRequired(row.getBoolean("health_check_required"))
                .setFailoverEnabled(row.getBoolean("failover_enabled"))
                .setPanicThreshold(row.getFloat64("panic_threshold"))
                .setIsEnabled(row.getBoolean("is_enabled"))
                .setVersion(row.getInt64("version"))
                .setCreatedAt(instant(row.getString("created_at")))
                .setUpdatedAt(instant(row.getString("updated_at")))
                .setUpdatedBy(row.getString("updated_by"))
                .build();
    }

    /**
     * The audit event of one change: created, updated (with each changed column's old and new value) or deleted; null
     * for an update that only names the actor of the delete that follows it.
     */
    static ServerEvent event(String table, Struct before, Struct after, Instant at) {
        Struct row = after != null ? after : before;
        String what = table.equals("server_configs") ? "SERVER_CONFIG" : "LB_RULE";
        String change = before == null ? "CREATED" : after == null ? "DELETED" : "UPDATED";
        Map<String, String> details = new LinkedHashMap<>();
        details.put("table", table);
        if (before != null && after != null) {
            for (Field field : after.schema().fields()) {
                Object old = before.get(field.name());
                Object now = after.get(field.name());
                if (!Objects.equals(old, now) && !field.name().equals("updated_at")) {
                    details.put(field.name(), field.name().equals(API_KEY_COLUMN) ? "changed" : old + " -> " + now);
                }
            }
        }
        if (change.equals("UPDATED") && Set.of("table", "updated_by").containsAll(details.keySet())) {
            // Only the deleter's name, written just before a delete: the delete's event tells it.
            return null;
        }
        String actor = optional(row, "updated_by");
        boolean serverRow = table.equals("server_configs");
        return ServerEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(serverRow ? row.getString("id") : null)
                .setPoolId(serverRow ? null : row.getString("id"))
                .setLevel(change.equals("DELETED") ? EventLevel.WARNING : EventLevel.INFO)
                .setType(what + "_" + change)
                .setMessage("%s %s %s%s"
                        .formatted(
                                what.toLowerCase(Locale.ROOT).replace('_', ' '),
                                row.getString("name"),
                                change.toLowerCase(Locale.ROOT),
                                actor == null ? "" : " by " + actor))
                .setDetails(details)
                .setOccurredAt(at)
                .setSource("event-sink-cdc")
                .setActor(actor)
                .build();
    }

    /**
     * A WARNING when a production server's TLS verification is turned off (created so, or changed to it, or moved to
     * production so): its certificate is then not checked, and a server in the middle would not be noticed. A
     * trust store for the server's CA ({@code WAFLEET_SERVER_TRUST_STORE}) is the way to keep it on. Null otherwise.
     */
    static ServerEvent tlsWarning(String table, Struct before, Struct after, Instant at) {
        if (!table.equals("server_configs") || after == null || !unverifiedProduction(after)) {
            return null;
        }
        if (before != null && unverifiedProduction(before)) {
            return null;
        }
        String actor = optional(after, "updated_by");
        return ServerEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(after.getString("id"))
                .setLevel(EventLevel.WARNING)
                .setType("SERVER_TLS_VERIFICATION_OFF")
                .setMessage("TLS verification is off for production server %s%s: its certificate is not checked;"
                                .formatted(after.getString("name"), actor == null ? "" : " (set by " + actor + ")")
                        + " trust its CA with WAFLEET_SERVER_TRUST_STORE instead")
                .setDetails(Map.of("table", table, "ssl_verify", "false", "environment", "production"))
                .setOccurredAt(at)
                .setSource("event-sink-cdc")
                .setActor(actor)
                .build();
    }

    private static boolean unverifiedProduction(Struct row) {
        return "production".equals(row.getString("environment")) && !row.getBoolean("ssl_verify");
    }

    private static String optional(Struct row, String field) {
        return row.schema().field(field) == null ? null : row.getString(field);
    }

    private static List<String> strings(Struct row, String field) {
        List<Object> values = row.getArray(field);
        return values == null ? List.of() : values.stream().map(String::valueOf).toList();
    }

    private static Instant instant(String zonedTimestamp) {
        return OffsetDateTime.parse(zonedTimestamp).toInstant();
    }
}
