-- Drain and bulk operations the routers run (POST /api/v1/servers/{id}/drain, POST /api/v1/bulk/{operation}): the
-- instance running one writes its view here while it runs and when it ends, so any router instance answers
-- GET /api/v1/operations/{id}, and ops keep a record of who drained or disconnected what.
CREATE TABLE operations (
    operation_id text PRIMARY KEY,
    kind text NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'finished')),
    router text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- The API's view of it (summary, result per server), as text so its fields keep their order.
    view json NOT NULL
);

CREATE INDEX operations_started_at ON operations (started_at DESC);
