-- The live health table of wa.server-health in PostgreSQL, so that SQL and the router answer one status: the one the
-- aggregator decides with its rise/fall hysteresis, degraded thresholds and staleness. The sink upserts it by
-- server id, ordered by the record's own updated_at (an older record never overwrites a newer one); a tombstone
-- (the server was removed) deletes the row.
CREATE TABLE server_health (
    server_id             text PRIMARY KEY,
    name                  text             NOT NULL,
    status                text             NOT NULL,
    previous_status       text,
    reason                text,
    status_since          timestamptz      NOT NULL,
    updated_at            timestamptz      NOT NULL,
    last_check_at         timestamptz,
    last_success_at       timestamptz,
    last_failure_at       timestamptz,
    consecutive_successes integer          NOT NULL,
    consecutive_failures  integer          NOT NULL,
    last_error_kind       text,
    last_latency_micros   bigint,
    environment           text             NOT NULL,
    location              text,
    capacity              integer          NOT NULL,
    connected_accounts    integer          NOT NULL,
    connecting_accounts   integer          NOT NULL,
    utilization           double precision NOT NULL,
    version               text,
    reported_status       text,
    window_1m_start       timestamptz,
    p95_1m_micros         double precision,
    p99_1m_micros         double precision,
    error_rate_1m         double precision,
    window_5m_start       timestamptz,
    p95_5m_micros         double precision,
    p99_5m_micros         double precision,
    error_rate_5m         double precision
);

-- The status and its reason come from server_health; a server the aggregator has not published yet is 'unknown'.
-- CREATE OR REPLACE keeps every column in place, with its type; the new ones come last.
CREATE OR REPLACE VIEW server_health_status AS
SELECT c.id                              AS server_id,
       c.name,
       c.environment,
       c.location,
       c.is_enabled,
       c.priority,
       c.weight,
       coalesce(sh.status, 'unknown')    AS health_status,
       hc.checked_at                     AS last_check_at,
       hc.success                        AS last_check_success,
       hc.latency_micros / 1000.0        AS last_response_time_ms,
       hc.error_kind                     AS last_error_kind,
       hc.report ->> 'version'           AS server_version,
       st.recorded_at                    AS last_stats_at,
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
       m.window_start                    AS metrics_window_start,
       m.p95_micros / 1000.0             AS window_p95_ms,
       m.p99_micros / 1000.0             AS window_p99_ms,
       m.error_rate                      AS window_error_rate,
       c.draining,
       sh.reason                         AS health_reason,
       sh.status_since,
       sh.previous_status,
       sh.consecutive_successes,
       sh.consecutive_failures,
       sh.updated_at                     AS health_updated_at
FROM server_configs c
LEFT JOIN server_health sh ON sh.server_id = c.id
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

-- Load as the router counts it: the accounts the server reports connected (its latest health record) plus those
-- assigned to it and not reported yet (pending, connecting, waiting for a scan, migrating in wafleet's registry).
-- registry_connected_accounts keeps what wafleet's own registry says is connected there.
CREATE OR REPLACE VIEW server_capacity_overview AS
SELECT c.id                                                           AS server_id,
       c.name,
       c.environment,
       c.location,
       c.is_enabled,
       c.max_instances,
       c.max_users_per_instance,
       c.max_instances * c.max_users_per_instance                     AS capacity,
       coalesce(sh.connected_accounts, 0)::bigint                     AS connected_accounts,
       coalesce(a.in_progress, 0)                                     AS pending_accounts,
       st.total_users                                                 AS reported_users,
       st.active_instances                                            AS reported_instances,
       c.max_instances * c.max_users_per_instance
           - coalesce(sh.connected_accounts, 0) - coalesce(a.in_progress, 0) AS available_capacity,
       CASE
           WHEN c.max_instances * c.max_users_per_instance = 0 THEN NULL
           ELSE round(100.0 * (coalesce(sh.connected_accounts, 0) + coalesce(a.in_progress, 0))
                      / (c.max_instances * c.max_users_per_instance), 2)
       END                                                            AS utilization_pct,
       coalesce(a.connected, 0)                                       AS registry_connected_accounts
FROM server_configs c
LEFT JOIN server_health sh ON sh.server_id = c.id
LEFT JOIN (
    SELECT server_id,
           count(*) FILTER (WHERE state = 'connected')                                         AS connected,
           count(*) FILTER (WHERE state IN ('pending', 'connecting', 'qr_required', 'migrating')) AS in_progress
    FROM server_connections
    GROUP BY server_id) a ON a.server_id = c.id
LEFT JOIN LATERAL (
    SELECT s.total_users, s.active_instances
    FROM server_stats s
    WHERE s.server_id = c.id
    ORDER BY s.recorded_at DESC
    LIMIT 1) st ON true;
