-- wafleet's SQL schema: the seed's five tables and two views, plus the time series the audit sink writes
-- (health_checks, server_metrics, connection_events).
--
-- Conventions:
-- * Enum values are stored in lower case, as the seed writes them ('https', 'weighted_round_robin', 'connected').
-- * Every event table has the record's event_id in its primary key, so the sink inserts with
--   ON CONFLICT DO NOTHING and a replayed record is written once. A partitioned table's unique key must hold its
--   partition column; the event's own timestamp is that column, so a replay lands in the same partition and conflicts.
-- * Time series are partitioned by day on the event's own time (wafleet_ensure_partitions creates the days, a
--   default partition catches anything outside them, wafleet_drop_partitions_before applies retention).
-- * No foreign keys from audit rows to server_configs: the audit trail outlives a deleted server.

-- ---------------------------------------------------------------------------------------------------------------
-- Configuration (written by the router's admin API, streamed to Kafka by the event-sink's Debezium engine)
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE server_configs (
    id                     text        PRIMARY KEY DEFAULT gen_random_uuid()::text,
    name                   text        NOT NULL UNIQUE,
    hostname               text        NOT NULL,
    ip_address             text,
    port                   integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    protocol               text        NOT NULL DEFAULT 'https' CHECK (protocol IN ('http', 'https')),
    base_path              text        NOT NULL DEFAULT '',
    dialect                text        NOT NULL DEFAULT 'seed' CHECK (dialect IN ('seed', 'waha', 'evolution')),
    environment            text        NOT NULL,
    location               text,
    connection_timeout     integer     NOT NULL DEFAULT 30000 CHECK (connection_timeout > 0),
    request_timeout        integer     NOT NULL DEFAULT 60000 CHECK (request_timeout > 0),
    max_retries            integer     NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
    health_check_interval  integer     NOT NULL DEFAULT 30000 CHECK (health_check_interval > 0),
    health_check_endpoint  text        NOT NULL DEFAULT '/api/health',
    max_instances          integer     NOT NULL DEFAULT 1 CHECK (max_instances >= 0),
    max_users_per_instance integer     NOT NULL DEFAULT 100 CHECK (max_users_per_instance >= 0),
    messaging_rate_limit   integer     NOT NULL DEFAULT 1000 CHECK (messaging_rate_limit >= 0),
    is_enabled             boolean     NOT NULL DEFAULT true,
    priority               integer     NOT NULL DEFAULT 1,
    weight                 integer     NOT NULL DEFAULT 1 CHECK (weight >= 0),
    tags                   text[]      NOT NULL DEFAULT '{}',
    ssl_verify             boolean     NOT NULL DEFAULT true,
    allowed_ips            text[]      NOT NULL DEFAULT '{}',
    -- AES-GCM ciphertext ('v1:' || base64(nonce || ciphertext)); the plaintext key is never stored.
    api_key_ciphertext     text,
    rise                   integer     CHECK (rise > 0),
    fall                   integer     CHECK (fall > 0),
    version                bigint      NOT NULL DEFAULT 1,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    created_by             text,
    updated_by             text
);
CREATE INDEX server_configs_pool_idx ON server_configs (environment, location) WHERE is_enabled;
CREATE INDEX server_configs_tags_idx ON server_configs USING gin (tags);

CREATE TABLE server_lb_rules (
    id                    text             PRIMARY KEY DEFAULT gen_random_uuid()::text,
    name                  text             NOT NULL UNIQUE,
    environment           text,
    location              text,
    algorithm             text             NOT NULL CHECK (algorithm IN ('round_robin', 'weighted_round_robin',
                              'least_connections', 'least_utilization', 'power_of_two_choices', 'fill_first')),
    health_check_required boolean          NOT NULL DEFAULT true,
    failover_enabled      boolean          NOT NULL DEFAULT true,
    panic_threshold       double precision NOT NULL DEFAULT 0.5 CHECK (panic_threshold BETWEEN 0 AND 1),
    is_enabled            boolean          NOT NULL DEFAULT true,
    version               bigint           NOT NULL DEFAULT 1,
    created_at            timestamptz      NOT NULL DEFAULT now(),
    updated_at            timestamptz      NOT NULL DEFAULT now(),
    updated_by            text
);
-- One rule per pool; a NULL environment or location is the wildcard and counts as one value.
CREATE UNIQUE INDEX server_lb_rules_pool_idx ON server_lb_rules (coalesce(environment, ''), coalesce(location, ''));

-- CDC publishes old and new values of every change (who changed what), so the whole row is logged.
ALTER TABLE server_configs REPLICA IDENTITY FULL;
ALTER TABLE server_lb_rules REPLICA IDENTITY FULL;

-- ---------------------------------------------------------------------------------------------------------------
-- Accounts: the current state of each WhatsApp account; its history is connection_events
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE server_connections (
    account_id      text        PRIMARY KEY,
    account_name    text,
    server_id       text,
    state           text        NOT NULL CHECK (state IN ('pending', 'connecting', 'qr_required', 'connected',
                                    'disconnected', 'failed', 'migrating')),
    connection_id   text,
    qr_code         text,
    reason          text,
    request_id      text,
    last_event_id   text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL,
    connected_at    timestamptz,
    disconnected_at timestamptz
);
CREATE INDEX server_connections_server_state_idx ON server_connections (server_id, state);

-- ---------------------------------------------------------------------------------------------------------------
-- Time series
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE server_stats (
    event_id              text             NOT NULL,
    server_id             text             NOT NULL,
    probe_id              text,
    recorded_at           timestamptz      NOT NULL,
    cpu                   double precision,
    memory                double precision,
    storage               double precision,
    network               double precision,
    active_instances      integer          NOT NULL DEFAULT 0,
    total_users           integer          NOT NULL DEFAULT 0,
    messages_per_minute   double precision NOT NULL DEFAULT 0,
    error_rate            double precision NOT NULL DEFAULT 0,
    average_response_time double precision,
    p95_response_time     double precision,
    p99_response_time     double precision,
    uptime                bigint           NOT NULL DEFAULT 0,
    is_healthy            boolean          NOT NULL DEFAULT true,
    PRIMARY KEY (event_id, recorded_at)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX server_stats_server_time_idx ON server_stats (server_id, recorded_at DESC);

CREATE TABLE health_checks (
    event_id       text        NOT NULL,
    server_id      text        NOT NULL,
    probe_id       text        NOT NULL,
    source         text        NOT NULL CHECK (source IN ('active', 'passive')),
    checked_at     timestamptz NOT NULL,
    latency_micros bigint      NOT NULL,
    success        boolean     NOT NULL,
    http_status    integer,
    error_kind     text,
    error_message  text,
    attempts       integer     NOT NULL DEFAULT 1,
    report         jsonb,
    PRIMARY KEY (event_id, checked_at)
) PARTITION BY RANGE (checked_at);
CREATE INDEX health_checks_server_time_idx ON health_checks (server_id, checked_at DESC);
CREATE INDEX health_checks_failures_idx ON health_checks (checked_at DESC, error_kind) WHERE NOT success;

CREATE TABLE server_metrics (
    event_id            text             NOT NULL,
    metrics_key         text             NOT NULL,
    scope               text             NOT NULL CHECK (scope IN ('server', 'environment', 'location')),
    server_id           text,
    environment         text,
    location            text,
    window_size_seconds integer          NOT NULL,
    window_start        timestamptz      NOT NULL,
    window_end          timestamptz      NOT NULL,
    count               bigint           NOT NULL,
    failures            bigint           NOT NULL,
    error_rate          double precision NOT NULL,
    min_micros          double precision,
    avg_micros          double precision,
    p50_micros          double precision,
    p95_micros          double precision,
    p99_micros          double precision,
    max_micros          double precision,
    PRIMARY KEY (event_id, window_start),
    -- One row per window even if the aggregator emitted it again under a new event id.
    UNIQUE (metrics_key, window_size_seconds, window_start)
) PARTITION BY RANGE (window_start);
CREATE INDEX server_metrics_server_time_idx ON server_metrics (server_id, window_size_seconds, window_start DESC);

CREATE TABLE server_events (
    event_id    text        NOT NULL,
    server_id   text,
    pool_id     text,
    level       text        NOT NULL CHECK (level IN ('debug', 'info', 'warning', 'error', 'critical')),
    type        text        NOT NULL,
    message     text        NOT NULL,
    details     jsonb       NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL,
    source      text        NOT NULL,
    actor       text,
    PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX server_events_server_time_idx ON server_events (server_id, occurred_at DESC);
CREATE INDEX server_events_alerts_idx ON server_events (occurred_at DESC, level)
    WHERE level IN ('warning', 'error', 'critical');
CREATE INDEX server_events_type_idx ON server_events (type, occurred_at DESC);

CREATE TABLE connection_events (
    event_id       text        NOT NULL,
    request_id     text,
    operation_id   text,
    account_id     text        NOT NULL,
    account_name   text,
    server_id      text,
    state          text        NOT NULL,
    previous_state text,
    connection_id  text,
    qr_code        text,
    reason         text,
    attempt        integer     NOT NULL DEFAULT 1,
    occurred_at    timestamptz NOT NULL,
    PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX connection_events_account_time_idx ON connection_events (account_id, occurred_at DESC);
CREATE INDEX connection_events_server_time_idx ON connection_events (server_id, occurred_at DESC);

-- ---------------------------------------------------------------------------------------------------------------
-- Partition management
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE wafleet_time_series (
    table_name  text PRIMARY KEY,
    time_column text NOT NULL
);
INSERT INTO wafleet_time_series (table_name, time_column) VALUES
    ('server_stats', 'recorded_at'),
    ('health_checks', 'checked_at'),
    ('server_metrics', 'window_start'),
    ('server_events', 'occurred_at'),
    ('connection_events', 'occurred_at');

-- Creates the daily partitions of every time series for the days from p_from to p_to (inclusive, UTC). Rows that
-- already sit in the default partition for such a day are moved into the new partition, so nothing is lost.
CREATE FUNCTION wafleet_ensure_partitions(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    ts      record;
    day     date;
    part    text;
    created integer := 0;
BEGIN
    FOR ts IN SELECT table_name, time_column FROM wafleet_time_series ORDER BY table_name LOOP
        day := p_from;
        WHILE day <= p_to LOOP
            part := format('%s_p%s', ts.table_name, to_char(day, 'YYYYMMDD'));
            IF to_regclass(part) IS NULL THEN
                EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', ts.table_name);
            END IF;
            -- Checked again under the lock: another sink may have created it meanwhile.
            IF to_regclass(part) IS NULL THEN
                EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                               part, ts.table_name);
                EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L::timestamptz AND %I < %L::timestamptz '
                               'RETURNING *) INSERT INTO %I SELECT * FROM moved',
                               ts.table_name || '_default', ts.time_column, day::text || ' 00:00:00+00',
                               ts.time_column, (day + 1)::text || ' 00:00:00+00', part);
                EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                               ts.table_name, part, day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
                created := created + 1;
            END IF;
            day := day + 1;
        END LOOP;
    END LOOP;
    RETURN created;
END;
$$;

-- Drops the daily partitions of every time series whose day ends on or before p_before (UTC), and deletes rows that
-- old from the default partitions; returns how many partitions it dropped.
CREATE FUNCTION wafleet_drop_partitions_before(p_before date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part    record;
    series  record;
    dropped integer := 0;
BEGIN
    FOR series IN SELECT table_name, time_column FROM wafleet_time_series LOOP
        EXECUTE format('DELETE FROM %I WHERE %I < %L::timestamptz',
                       series.table_name || '_default', series.time_column, p_before::text || ' 00:00:00+00');
    END LOOP;
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN wafleet_time_series ts ON ts.table_name = p.relname
        WHERE c.relname ~ '_p[0-9]{8}$'
          AND to_date(right(c.relname, 8), 'YYYYMMDD') < p_before
    LOOP
        EXECUTE format('DROP TABLE %I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END;
$$;

CREATE TABLE server_stats_default PARTITION OF server_stats DEFAULT;
CREATE TABLE health_checks_default PARTITION OF health_checks DEFAULT;
CREATE TABLE server_metrics_default PARTITION OF server_metrics DEFAULT;
CREATE TABLE server_events_default PARTITION OF server_events DEFAULT;
CREATE TABLE connection_events_default PARTITION OF connection_events DEFAULT;

SELECT wafleet_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7);

-- ---------------------------------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------------------------------

-- Real-time health overview: each server with its latest check, latest reported stats and latest 5-minute window.
-- health_status reads the latest check only; the live status with rise/fall hysteresis is the wa.server-health topic.
CREATE VIEW server_health_status AS
SELECT c.id                         AS server_id,
       c.name,
       c.environment,
       c.location,
       c.is_enabled,
       c.priority,
       c.weight,
       CASE
           WHEN NOT c.is_enabled THEN 'disabled'
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
       m.error_rate                 AS window_error_rate
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

-- Capacity utilisation: capacity = max_instances x max_users_per_instance; load = accounts connected plus accounts
-- on their way (pending, connecting, waiting for their QR, migrating), as the router counts it.
CREATE VIEW server_capacity_overview AS
SELECT c.id                                                        AS server_id,
       c.name,
       c.environment,
       c.location,
       c.is_enabled,
       c.max_instances,
       c.max_users_per_instance,
       c.max_instances * c.max_users_per_instance                  AS capacity,
       coalesce(a.connected, 0)                                    AS connected_accounts,
       coalesce(a.in_progress, 0)                                  AS pending_accounts,
       st.total_users                                              AS reported_users,
       st.active_instances                                         AS reported_instances,
       c.max_instances * c.max_users_per_instance
           - coalesce(a.connected, 0) - coalesce(a.in_progress, 0) AS available_capacity,
       CASE
           WHEN c.max_instances * c.max_users_per_instance = 0 THEN NULL
           ELSE round(100.0 * (coalesce(a.connected, 0) + coalesce(a.in_progress, 0))
                      / (c.max_instances * c.max_users_per_instance), 2)
       END                                                         AS utilization_pct
FROM server_configs c
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
