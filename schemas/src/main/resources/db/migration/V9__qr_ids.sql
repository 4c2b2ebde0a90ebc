-- QR images leave the event stream (issue 20): events carry the QR's id, the image stays in wa.account-state.
-- qr_code keeps the images of older events; new rows have the id only.
ALTER TABLE connection_events ADD COLUMN qr_id text;
ALTER TABLE server_connections ADD COLUMN qr_id text;
