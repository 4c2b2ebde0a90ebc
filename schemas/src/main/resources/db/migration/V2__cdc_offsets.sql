-- Offsets of the event-sink's Debezium engine, kept in the database it reads, so that whichever sink instance holds
-- the CDC lock goes on where the last one stopped.
CREATE TABLE wafleet_cdc_offsets (
    offset_key   bytea PRIMARY KEY,
    offset_value bytea,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
