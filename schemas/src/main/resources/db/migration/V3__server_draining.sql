-- A draining server takes no new accounts while ops move its accounts off (router: POST /api/v1/servers/{id}/drain).
-- CDC carries the flag to wa.server-configs, where the aggregator turns it into the DRAINING status.
ALTER TABLE server_configs ADD COLUMN draining boolean NOT NULL DEFAULT false;
