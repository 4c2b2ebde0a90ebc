-- The health overview knows draining servers (V3): a draining server shows as 'draining', and the flag is a column.
-- CREATE OR REPLACE keeps every column in place; the new one comes last.
CREATE OR REPLACE VIEW server_health_status AS
SELECT c.id                         AS server_id,
       c.name,
       c.environment,
       c.location,
       c.is_enabled,
       c.priority,
       c.weight,
       CASE
           WHEN NOT c.is_enabled THEN 'disabled'
           WHEN c.draining THEN 'draining'
           WHEN hc.checked_at IS NULL
               OR hc.checked_at < now() - 3 * c.health_check_interval * interval '1 millisecond' THEN 'unknown'
           WHEN hc.success AND coalesce(st.is_healthy, true) THEN 'healthy'
           WHEN hc.success THEN 'degraded'
           ELSE 'unhealthy'
       END                          AS health_status,
       hc.checked_at                AS last_check_at,
       hc.success                   AS last_check_success,
       hc.latency_micros / 1000.0   AS last_response_time_ms,
       hc.error_kind                AS last_error_kind,
       hc.report ->> 'version'      AS server_version,
       st.recorded_at               AS last_stats_at,
       st.cpu,
       st.memory,
       st.storage,
       st.network,
       st.total_users,
       st.messages_per_minute,
       st.error_rate,
       st.average_response_time,
       st.p95_response_time,
       st.p99_response_time,
       st.uptime,
       m.window_start               AS metrics_window_start,
       m.p95_micros / 1000.0        AS window_p95_ms,
       m.p99_micros / 1000.0        AS window_p99_ms,
       m.error_rate                 AS window_error_rate,
       c.draining
FROM server_configs c
LEFT JOIN LATERAL (
    SELECT h.checked_at, h.success, h.latency_micros, h.error_kind, h.report
    FROM health_checks h
    WHERE h.server_id = c.id
    ORDER BY h.checked_at DESC
    LIMIT 1) hc ON true
LEFT JOIN LATERAL (
    SELECT s.*
    FROM server_stats s
    WHERE s.server_id = c.id
    ORDER BY s.recorded_at DESC
    LIMIT 1) st ON true
LEFT JOIN LATERAL (
    SELECT sm.window_start, sm.p95_micros, sm.p99_micros, sm.error_rate
    FROM server_metrics sm
    WHERE sm.server_id = c.id AND sm.scope = 'server' AND sm.window_size_seconds = 300
    ORDER BY sm.window_start DESC
    LIMIT 1) m ON true;
