-- Outbound messages (wa.message-events): every step of every message, partitioned by day on the event's own time as
-- the other time series (the same maintenance creates and drops the days). The text of a message is not stored:
-- the audit tells who sent what to whom and when, not what it said.
CREATE TABLE message_events (
    event_id          text        NOT NULL,
    message_id        text        NOT NULL,
    account_id        text        NOT NULL,
    server_id         text,
    status            text        NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'delivered', 'read')),
    failure           text,
    reason            text,
    server_message_id text,
    recipient         text,
    posted_at         timestamptz NOT NULL,
    occurred_at       timestamptz NOT NULL,
    attempts          integer     NOT NULL DEFAULT 0,
    metadata          jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX message_events_account_time_idx ON message_events (account_id, occurred_at DESC);
CREATE INDEX message_events_server_time_idx ON message_events (server_id, occurred_at DESC);
CREATE INDEX message_events_message_idx ON message_events (account_id, message_id);
CREATE INDEX message_events_failures_idx ON message_events (occurred_at DESC, failure) WHERE status = 'failed';
CREATE TABLE message_events_default PARTITION OF message_events DEFAULT;

INSERT INTO wafleet_time_series (table_name, time_column) VALUES ('message_events', 'occurred_at');
SELECT wafleet_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7);

-- Each message's latest step (an acknowledgement never goes back: READ after DELIVERED after SENT), with the time it
-- took from posting to SENT.
CREATE VIEW message_status AS
SELECT m.account_id, m.message_id, m.server_id, m.status, m.failure, m.reason, m.server_message_id, m.recipient,
       m.posted_at, m.occurred_at AS updated_at, s.occurred_at AS sent_at,
       extract(epoch FROM s.occurred_at - s.posted_at) * 1000 AS ms_to_sent
FROM (SELECT DISTINCT ON (account_id, message_id) *
      FROM message_events
      ORDER BY account_id, message_id,
               CASE status WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'failed' THEN 1
                           WHEN 'delivered' THEN 2 ELSE 3 END DESC,
               occurred_at DESC) m
LEFT JOIN LATERAL (SELECT min(occurred_at) AS occurred_at, min(posted_at) AS posted_at FROM message_events e
                   WHERE e.account_id = m.account_id AND e.message_id = m.message_id AND e.status = 'sent') s ON true;
