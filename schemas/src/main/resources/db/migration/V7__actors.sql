-- Who did it: the name of the API token (issue 16's named tokens) that started an operation or asked for an
-- account's connect, disconnect, QR refresh or migration.
ALTER TABLE operations ADD COLUMN requested_by text;
ALTER TABLE connection_events ADD COLUMN requested_by text;
CREATE INDEX operations_requested_by ON operations (requested_by, started_at DESC);
