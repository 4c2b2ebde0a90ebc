package io.wafleet.router.admin;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A server_configs row as the admin API returns it: every field but the API key, of which only its presence. */
final class ServerJson {

    private ServerJson() {}

    static Map<String, Object> of(ResultSet row) throws SQLException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", row.getString("id"));
        json.put("name", row.getString("name"));
        json.put("hostname", row.getString("hostname"));
        json.put("ipAddress", row.getString("ip_address"));
        json.put("port", row.getInt("port"));
        json.put("protocol", row.getString("protocol"));
        json.put("basePath", row.getString("base_path"));
        json.put("dialect", row.getString("dialect"));
        json.put("environment", row.getString("environment"));
        json.put("location", row.getString("location"));
        json.put("connectionTimeout", row.getInt("connection_timeout"));
        json.put("requestTimeout", row.getInt("request_timeout"));
        json.put("maxRetries", row.getInt("max_retries"));
        json.put("healthCheckInterval", row.getInt("health_check_interval"));
        json.put("healthCheckEndpoint", row.getString("health_check_endpoint"));
        json.put("maxInstances", row.getInt("max_instances"));
        json.put("maxUsersPerInstance", row.getInt("max_users_per_instance"));
        json.put("messagingRateLimit", row.getInt("messaging_rate_limit"));
        json.put("isEnabled", row.getBoolean("is_enabled"));
        json.put("priority", row.getInt("priority"));
        json.put("weight", row.getInt("weight"));
        json.put("tags", strings(row.getArray("tags")));
        json.put("sslVerify", row.getBoolean("ssl_verify"));
        json.put("allowedIps", strings(row.getArray("allowed_ips")));
        json.put("hasApiKey", row.getString("api_key_ciphertext") != null);
        json.put("trustedNetwork", row.getBoolean("trusted_network"));
        json.put("rise", row.getObject("rise"));
        json.put("fall", row.getObject("fall"));
        json.put("version", row.getLong("version"));
        return json;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
