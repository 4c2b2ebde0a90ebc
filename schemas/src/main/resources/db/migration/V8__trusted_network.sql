-- A server on a network the operator trusts (issue 16): only then is its API key sent over plain http.
ALTER TABLE server_configs ADD COLUMN trusted_network boolean NOT NULL DEFAULT false;
